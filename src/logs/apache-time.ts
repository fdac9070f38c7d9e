/**
 * @module logs/apache-time — the timestamps Apache writes: the error log's
 * "Wed Nov 25 00:41:02.123456 2026", the access log's "[25/Nov/2026:00:41:02 +0000]" (cached per
 * second, it is on every request) and a strftime subset for %{format}t. Local time, as Apache.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FULL_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FULL_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function pad(n: number, width = 2, fill = '0'): string {
  return String(n).padStart(width, fill);
}

/** "+0100" / "-0530": the local offset from UTC, as strftime's %z. */
export function utcOffset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

let errorSecond = Number.NaN;
let errorHead = '';
let errorYear = '';

/** The error log's "Wed Nov 25 00:41:02.123456 2026" (ap_recent_ctime_ex with usec); the part
 *  before the microseconds is formatted once per second. */
export function errorLogTime(usSinceEpoch: number): string {
  const second = Math.floor(usSinceEpoch / 1_000_000);
  if (second !== errorSecond) {
    const d = new Date(second * 1000);
    errorSecond = second;
    errorHead = `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    errorYear = String(d.getFullYear());
  }
  const usec = usSinceEpoch - second * 1_000_000;
  return `${errorHead}.${pad(Math.floor(usec), 6)} ${errorYear}`;
}

/** The common log format date "25/Nov/2026:00:41:02 +0000" (no brackets). */
function clfDate(d: Date): string {
  return (
    `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${utcOffset(d)}`
  );
}

let cachedSecond = Number.NaN;
let cachedClf = '';

/** "[25/Nov/2026:00:41:02 +0000]" for %t; formatted at most once per second. */
export function clfTime(msSinceEpoch: number): string {
  const second = Math.floor(msSinceEpoch / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedClf = `[${clfDate(new Date(second * 1000))}]`;
  }
  return cachedClf;
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return Math.round((d.getTime() - start.getTime()) / 86_400_000) + 1;
}

/**
 * strftime for the conversions Apache users put in %{…}t (C locale). An unknown conversion is
 * kept as written, which is what glibc does.
 */
export function strftime(format: string, d: Date): string {
  return format.replace(/%([a-zA-Z%])/g, (whole, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'a':
        return DAYS[d.getDay()] ?? '';
      case 'A':
        return FULL_DAYS[d.getDay()] ?? '';
      case 'b':
      case 'h':
        return MONTHS[d.getMonth()] ?? '';
      case 'B':
        return FULL_MONTHS[d.getMonth()] ?? '';
      case 'c':
        return strftime('%a %b %e %H:%M:%S %Y', d);
      case 'C':
        return pad(Math.floor(d.getFullYear() / 100));
      case 'd':
        return pad(d.getDate());
      case 'D':
        return strftime('%m/%d/%y', d);
      case 'e':
        return pad(d.getDate(), 2, ' ');
      case 'F':
        return strftime('%Y-%m-%d', d);
      case 'H':
        return pad(d.getHours());
      case 'I':
        return pad(d.getHours() % 12 === 0 ? 12 : d.getHours() % 12);
      case 'j':
        return pad(dayOfYear(d), 3);
      case 'k':
        return pad(d.getHours(), 2, ' ');
      case 'l':
        return pad(d.getHours() % 12 === 0 ? 12 : d.getHours() % 12, 2, ' ');
      case 'm':
        return pad(d.getMonth() + 1);
      case 'M':
        return pad(d.getMinutes());
      case 'n':
        return '\n';
      case 'p':
        return d.getHours() < 12 ? 'AM' : 'PM';
      case 'r':
        return strftime('%I:%M:%S %p', d);
      case 'R':
        return strftime('%H:%M', d);
      case 's':
        return String(Math.floor(d.getTime() / 1000));
      case 'S':
        return pad(d.getSeconds());
      case 't':
        return '\t';
      case 'T':
        return strftime('%H:%M:%S', d);
      case 'u':
        return String(d.getDay() === 0 ? 7 : d.getDay());
      case 'w':
        return String(d.getDay());
      case 'x':
        return strftime('%m/%d/%y', d);
      case 'X':
        return strftime('%H:%M:%S', d);
      case 'y':
        return pad(d.getFullYear() % 100);
      case 'Y':
        return String(d.getFullYear());
      case 'z':
        return utcOffset(d);
      case 'Z':
        return d.getTimezoneOffset() === 0 ? 'UTC' : utcOffset(d);
      default:
        return whole;
    }
  });
}

/**
 * @module pipeline/hook-status — Apache's hook results (httpd.h), shared by every step of the
 * pipeline: OK (handled), DECLINED (not mine, go on), DONE (the response is complete). Any
 * other number a step returns is the HTTP status that ends the request.
 */
export const OK = 0;
export const DECLINED = -1;
export const DONE = -2;

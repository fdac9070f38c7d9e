"""A plain CGI script (run by mod_python.cgihandler): headers on stdout, then the body."""
import os
import sys

print("Status: 201 Created")
print("Content-Type: text/plain")
print("X-Cgi: yes")
print()
print("method=%s query=%s" % (os.environ["REQUEST_METHOD"], os.environ.get("QUERY_STRING", "")))
sys.stdout.write("body=" + sys.stdin.buffer.read().decode() + "\n")

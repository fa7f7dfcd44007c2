#!/usr/bin/env bash
# Sums what the test run checked against the protocol schema (protocol/.../switchboard.schema.json): each
# test JVM (FrameSchema) and Node test process (test/support/schema.js) appends a line per process to its
# module's target/schema-checks.txt.
cd "$(dirname "$0")/.."
cat ./*/target/schema-checks.txt 2>/dev/null | awk '
  { for (i = 2; i <= NF; i++) { split($i, kv, "="); sum[$1 " " kv[1]] += kv[2]; total[kv[1]] += kv[2] } }
  END {
    if (length(total) == 0) { print "Protocol schema: no frames checked"; exit }
    line = "Protocol schema: frames and bodies checked:"
    for (k in sum) line = line " " k "=" sum[k]
    print line
    print "Protocol schema: total " total["client_frame"] + total["server_frame"] " frames (" total["client_frame"] " sent by clients, " total["server_frame"] " sent by the gateway), " total["hook_body"] + 0 " hook bodies, " total["reply_data"] + 0 " reply payloads; off the schema: " total["off_schema"] + 0
  }'

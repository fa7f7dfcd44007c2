#!/usr/bin/env bash
# Makes a throwaway certificate authority and a server certificate it signed, for the TLS tests (Java, Node,
# Chromium): test-certs.sh DIR [rsa|ec] [NAME]. Writes DIR/ca.pem (trust this), DIR/NAME.pem (the chain, leaf
# first), DIR/NAME.key (PKCS#8), valid for localhost and 127.0.0.1, for a day. A second call with another NAME
# reuses the CA (a "renewed" certificate from the same CA). Nothing leaves DIR.
set -euo pipefail
dir=$1; kind=${2:-rsa}; name=${3:-server}
mkdir -p "$dir"; cd "$dir"
newkey() { # $1: output (PKCS#8)
  if [ "$kind" = ec ]; then openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
  else openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; fi
}
if [ ! -f ca.pem ]; then
  newkey ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=Switchboard test CA" -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi
newkey "$name.key"
openssl req -new -key "$name.key" -subj "/CN=localhost" -out "$name.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > "$name.ext"
openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -sha256 -extfile "$name.ext" \
  -out "$name.leaf.pem" 2>/dev/null
cat "$name.leaf.pem" ca.pem > "$name.pem"
rm -f "$name.csr" "$name.ext"

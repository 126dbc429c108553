#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# pcapng-secrets.py: splits a pcapng's Decryption Secrets Blocks (TLS key logs) from its packets.
#
#   scripts/pcapng-secrets.py split IN.pcapng OUT.pcapng KEYLOG
#
# Writes IN without its Decryption Secrets Blocks to OUT and their TLS key log
# lines to KEYLOG; exits 3 when IN has none (OUT and KEYLOG are not written).
# editcap 4.0 refuses to rewrite a pcapng that holds secrets ("can't be written
# as a pcapng file"), so scripts/fuzz.sh mutates the packets alone and puts the
# key log back with `editcap --inject-secrets tls,KEYLOG`.  Standard library only.

import struct
import sys

DECRYPTION_SECRETS_BLOCK = 0x0000000A
SECTION_HEADER_BLOCK = 0x0A0D0D0A
TLS_KEY_LOG = 0x544C534B


def split(source, packets_path, keylog_path):
    data = open(source, "rb").read()
    endian = "<"
    kept, secrets = bytearray(), bytearray()
    offset = 0
    while offset + 12 <= len(data):
        block_type = struct.unpack_from(endian + "I", data, offset)[0]
        if block_type == SECTION_HEADER_BLOCK:
            endian = "<" if data[offset + 8:offset + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        length = struct.unpack_from(endian + "I", data, offset + 4)[0]
        if length < 12 or offset + length > len(data):
            sys.exit("pcapng-secrets: %s: a block runs past the end of the file" % source)
        block = data[offset:offset + length]
        if block_type == DECRYPTION_SECRETS_BLOCK:
            secrets_type, secrets_length = struct.unpack_from(endian + "II", block, 8)
            if secrets_type == TLS_KEY_LOG:
                secrets += block[16:16 + secrets_length]
        else:
            kept += block
        offset += length
    if not secrets:
        return 3
    open(packets_path, "wb").write(kept)
    open(keylog_path, "wb").write(secrets)
    return 0


def main(argv):
    if len(argv) != 5 or argv[1] != "split":
        sys.stderr.write("usage: pcapng-secrets.py split IN.pcapng OUT.pcapng KEYLOG\n")
        return 2
    return split(argv[2], argv[3], argv[4])


if __name__ == "__main__":
    sys.exit(main(sys.argv))

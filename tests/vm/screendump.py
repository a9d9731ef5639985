#!/usr/bin/env python3
"""screendump.py QMP_SOCKET OUT.png [NAME=#rrggbb ...]

Takes what the VM's display shows (QMP screendump: the scanned-out
framebuffer, as a projector would get it), keeps it as OUT.png and prints, for
the guest to check: "width W", "height H", then "NAME FRACTION" for each
colour: the share of pixels within 12 per channel of it. run-vm-test.sh
--display runs it when the guest asks (tests/vm/guest/package-boot-test.sh).
"""
import json
import os
import socket
import struct
import sys
import tempfile
import zlib


def qmp(sock_path, command, arguments=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(sock_path)
    f = s.makefile("rwb")

    def call(cmd, args=None):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        f.write(json.dumps(msg).encode() + b"\n")
        f.flush()
        while True:
            reply = json.loads(f.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError("%s: %s" % (cmd, reply["error"].get("desc")))
            # an asynchronous event: read on

    json.loads(f.readline())  # the greeting
    call("qmp_capabilities")
    result = call(command, arguments)
    s.close()
    return result


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError("not an 8-bit P6 PPM")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:pos + 1 + width * height * 3]
    return width, height, pixels


def write_png(path, width, height, pixels):
    raw = b"".join(b"\0" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))

    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sock_path, out = sys.argv[1], sys.argv[2]
    colours = []
    for arg in sys.argv[3:]:
        name, hexa = arg.split("=", 1)
        v = int(hexa.lstrip("#"), 16)
        colours.append((name, (v >> 16) & 255, (v >> 8) & 255, v & 255))
    fd, ppm = tempfile.mkstemp(suffix=".ppm")
    os.close(fd)
    try:
        qmp(sock_path, "screendump", {"filename": ppm})
        width, height, pixels = read_ppm(ppm)
    finally:
        os.unlink(ppm)
    write_png(out, width, height, pixels)
    # Every other pixel of every other row: plenty for shares of colours.
    counts = [0] * len(colours)
    total = 0
    for y in range(0, height, 2):
        row = pixels[y * width * 3:(y + 1) * width * 3]
        for x in range(0, width * 3, 6):
            r, g, b = row[x], row[x + 1], row[x + 2]
            total += 1
            for i, (_, cr, cg, cb) in enumerate(colours):
                if abs(r - cr) <= 12 and abs(g - cg) <= 12 and abs(b - cb) <= 12:
                    counts[i] += 1
    print("width %d" % width)
    print("height %d" % height)
    for (name, _, _, _), n in zip(colours, counts):
        print("%s %.4f" % (name, n / max(total, 1)))


if __name__ == "__main__":
    main()

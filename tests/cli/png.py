#!/usr/bin/env python3
"""Checks of a screenshot's layout, with only the standard library.

    png.py stats FILE             width, height, share of non-white pixels,
                                  distinct colours (of a sample)
    png.py band FILE RRGGBB Y0 Y1 share of pixels in rows Y0..Y1 within a
                                  small distance of the colour RRGGBB
    png.py crop FILE X Y W H OUT  a part of FILE as a new PNG (to look at)

Decodes 8-bit RGB or RGBA PNGs, not interlaced (what Chromium writes):
zlib for the data, the five row filters of the PNG standard undone.
"""
import struct
import sys
import zlib


def read(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        sys.exit('%s: not a PNG' % path)
    pos, idat = 8, []
    w = h = ch = 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, inter = struct.unpack('>IIBBBBB', body)
            if depth != 8 or ctype not in (2, 6) or inter != 0:
                sys.exit('%s: want 8-bit RGB(A), not interlaced' % path)
            ch = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat.append(body)
        elif kind == b'IEND':
            break
    raw = zlib.decompress(b''.join(idat))
    stride = w * ch
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, ch, rows


def pixel(rows, ch, x, y):
    r = rows[y]
    return r[x * ch], r[x * ch + 1], r[x * ch + 2]


def write(path, w, h, rgb_rows):
    def chunk(kind, body):
        c = struct.pack('>I', len(body)) + kind + body
        return c + struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff)
    raw = b''.join(b'\x00' + bytes(r) for r in rgb_rows)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(raw, 6)))
        f.write(chunk(b'IEND', b''))


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    w, h, ch, rows = read(path)
    if cmd == 'stats':
        ink, colours = 0, set()
        for y in range(0, h, 2):
            for x in range(0, w, 2):
                p = pixel(rows, ch, x, y)
                colours.add(p)
                ink += p != (255, 255, 255)
        print(w, h, '%.4f' % (ink / float(((h + 1) // 2) * ((w + 1) // 2))),
              len(colours))
    elif cmd == 'band':
        want = tuple(int(sys.argv[3][i:i + 2], 16) for i in (0, 2, 4))
        y0, y1 = int(sys.argv[4]), min(int(sys.argv[5]), h - 1)
        hit = tot = 0
        for y in range(y0, y1 + 1):
            for x in range(w):
                p = pixel(rows, ch, x, y)
                hit += max(abs(p[i] - want[i]) for i in range(3)) <= 24
                tot += 1
        print('%.4f' % (hit / float(tot or 1)))
    elif cmd == 'crop':
        x0, y0, cw, chh = (int(v) for v in sys.argv[3:7])
        out = []
        for y in range(y0, min(y0 + chh, h)):
            line = bytearray()
            for x in range(x0, min(x0 + cw, w)):
                line.extend(pixel(rows, ch, x, y))
            out.append(line)
        write(sys.argv[7], len(out[0]) // 3, len(out), out)
    else:
        sys.exit('png.py: unknown command %s' % cmd)


main()

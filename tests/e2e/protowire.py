"""The few parts of the protobuf wire format the independent checkers need, by hand, so that they
use no generated code (https://protobuf.dev/programming-guides/encoding/)."""


def varint(buf, pos):
    value = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def fields(buf):
    """Yields (field number, wire type, value) of one message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 2:
            size, pos = varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, wire, value


def first(buf, number, default=None):
    for n, _, v in fields(buf):
        if n == number:
            return v
    return default


def every(buf, number):
    return [v for n, _, v in fields(buf) if n == number]


def encode_varint(value):
    out = bytearray()
    while True:
        b = value & 0x7F
        value >>= 7
        if not value:
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def message(*pairs):
    """A message of varint fields (number, value); zeros left out, as proto3 does."""
    return b"".join(encode_varint(n << 3) + encode_varint(v) for n, v in pairs if v)

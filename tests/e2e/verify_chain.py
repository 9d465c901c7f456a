#!/usr/bin/python3
"""Independent check of a salesledger hash chain, in another language than the server.

Reads every event through AuditService.ReadEvents(include_raw=true) and checks SPEC.md §2.3:
hash(n) = SHA-256(hash(n-1) || bytes(n)), hash(0) = 32 zero bytes, seqs 1, 2, 3, ... and each
event's stored prev_hash equal to hash(n-1); finally that the head's hash is the last hash.
It uses no generated code: the few protobuf fields it needs are decoded by hand.

usage: verify_chain.py ADDRESS TOKEN_FILE
exit 0 and "chain verified: N events, head <hex>"; exit 1 and "DATA_LOSS at seq N: ..." otherwise.
"""
import hashlib
import sys

import grpc

from protowire import first


def main():
    address, token_file = sys.argv[1], sys.argv[2]
    token = open(token_file).read().strip()
    metadata = (("authorization", "Bearer " + token),)
    channel = grpc.insecure_channel(address)
    identity = lambda b: b
    read_events = channel.unary_stream("/salesledger.v1.AuditService/ReadEvents",
                                       request_serializer=identity, response_deserializer=identity)
    get_head = channel.unary_unary("/salesledger.v1.AuditService/GetHead",
                                   request_serializer=identity, response_deserializer=identity)

    prev = bytes(32)
    expected = 1
    # ReadEventsRequest{include_raw (field 3) = true}
    for response in read_events(b"\x18\x01", metadata=metadata):
        event, raw = first(response, 1, b""), first(response, 2, b"")
        stored_hash = first(event, 9, b"")
        seq = first(raw, 1, 0)             # the seq inside bytes(n)
        if seq != expected:
            print(f"DATA_LOSS at seq {expected}: found seq {seq}")
            return 1
        if first(raw, 8, b"") != prev:     # prev_hash inside bytes(n)
            print(f"DATA_LOSS at seq {seq}: prev_hash is not hash({seq - 1})")
            return 1
        if first(raw, 9, b"") != b"":
            print(f"DATA_LOSS at seq {seq}: the stored bytes carry a hash")
            return 1
        computed = hashlib.sha256(prev + raw).digest()
        if computed != stored_hash:
            print(f"DATA_LOSS at seq {seq}: SHA-256(hash({seq - 1}) || bytes) differs from its hash")
            return 1
        prev, expected = computed, expected + 1
    head = get_head(b"", metadata=metadata)
    if first(head, 1, 0) != expected - 1 or first(head, 2, b"") != prev:
        print(f"DATA_LOSS at seq {expected - 1}: the head does not match the last event")
        return 1
    print(f"chain verified: {expected - 1} events, head {prev.hex()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Independent check of a salesledger log's Merkle tree, in another language than the server.

From the gRPC answers alone (AuditService; the protobuf fields are decoded by hand, as
verify_chain.py does), and the log's verifier key given on the command line, it checks:
  - each checkpoint (c2sp.org/tlog-checkpoint in a c2sp.org/signed-note): the Ed25519 signature of
    the key named by the verifier key, the key ID, and that the origin is the key's name;
  - that each checkpoint's root is the tree's root at its size, computed here from the events'
    stored bytes (ReadEvents include_raw) by RFC 9162 §2.1.1: leaf = SHA-256(0x00 || bytes),
    node = SHA-256(0x01 || left || right), split at the largest power of two below n;
  - inclusion proofs by RFC 9162 §2.1.3.2, every step; consistency proofs by §2.1.4.2.
With --forge it also changes good proofs and checkpoints and checks that each change is refused.

usage: verify_proofs.py ADDRESS TOKEN_FILE LOG_VERIFIER_KEY [--sizes S1,S2,...] [--sample N]
                        [--pairs N] [--forge [--log-private-key FILE]]
  --sizes      signed tree sizes to check besides the latest (GetCheckpoint(tree_size))
  --sample     entries proved at each size but the latest, where every entry is proved (300;
               0 = every entry at every size)
  --pairs      random size pairs whose consistency proofs are checked (100)
exit 0 when everything verifies (and every forgery is refused); 1 naming the first failure.
"""
import base64
import binascii
import hashlib
import random
import sys

import grpc
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from protowire import every, first, message

DASH = "\u2014 "


class Refused(Exception):
    pass


# ---- RFC 9162 §2.1 ----

def leaf_hash(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(leaves, begin, end, memo):
    """MTH(D[begin:end]) (§2.1.1); `memo` keeps the complete subtrees, which every size shares."""
    n = end - begin
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[begin]
    k = 1
    while k * 2 < n:
        k *= 2
    key = (begin, end)
    if key in memo:
        return memo[key]
    value = node_hash(mth(leaves, begin, begin + k, memo), mth(leaves, begin + k, end, memo))
    if n & (n - 1) == 0:
        memo[key] = value
    return value


def verify_inclusion(index, size, leaf, proof, root):
    """§2.1.3.2, every step."""
    if index >= size:
        raise Refused(f"leaf index {index} is not below the tree size {size}")
    for p in proof + [leaf, root]:
        if len(p) != 32:
            raise Refused("a hash is not 32 bytes")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise Refused("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Refused("the proof is shorter than the path to the root")
    if r != root:
        raise Refused("the proof computes another root")


def verify_entry(seq, proof_size, leaf, raw, proof, checkpoint):
    """An entry's proof against a signed checkpoint (size, root): the proof must be for the
    checkpoint's size (a proof for another size may compute the same root), the leaf the entry's,
    and the path must verify."""
    size, root = checkpoint
    if proof_size != size:
        raise Refused(f"the proof is for tree size {proof_size}; the checkpoint is of size {size}")
    if raw is not None and leaf != leaf_hash(raw):
        raise Refused("the leaf hash is not the entry's")
    verify_inclusion(seq - 1, size, leaf, proof, root)


def verify_consistency(first_size, second_size, proof, first_root, second_root):
    """§2.1.4.2, every step."""
    for p in proof + [first_root, second_root]:
        if len(p) != 32:
            raise Refused("a hash is not 32 bytes")
    if first_size > second_size:
        raise Refused("the second tree is smaller than the first")
    if first_size == second_size:
        if proof:
            raise Refused("a proof between equal sizes must be empty")
        if first_root != second_root:
            raise Refused("two roots for one size")
        return
    if first_size == 0:
        if proof:
            raise Refused("a proof from the empty tree must be empty")
        return
    if not proof:
        raise Refused("the proof is empty")
    if first_size & (first_size - 1) == 0:
        proof = [first_root] + proof
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise Refused("the proof is longer than the path to the second root")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Refused("the proof is shorter than the path to the second root")
    if fr != first_root:
        raise Refused("the proof does not rebuild the first root")
    if sr != second_root:
        raise Refused("the proof does not rebuild the second root")


# ---- c2sp.org/signed-note and tlog-checkpoint ----

def key_id(name, type_byte, public_key):
    return hashlib.sha256(name.encode() + b"\n" + bytes([type_byte]) + public_key).digest()[:4]


def parse_verifier_key(text):
    name, hex_id, b64 = text.strip().split("+", 2)  # base64 may hold '+' too
    raw = base64.b64decode(b64, validate=True)
    if raw[0] != 0x01 or len(raw) != 33:
        raise Refused("the verifier key is not an Ed25519 key of signature type 0x01")
    if key_id(name, 0x01, raw[1:]) != bytes.fromhex(hex_id):
        raise Refused("the verifier key's ID does not match the key")
    return name, bytes.fromhex(hex_id), raw[1:]


def open_checkpoint(note, key):
    """Returns (size, root) when `key` signed `note` and its origin is the key's name."""
    try:
        return _open_checkpoint(note, key)
    except (ValueError, binascii.Error) as e:
        raise Refused(f"the note is malformed: {e}")


def _open_checkpoint(note, key):
    name, kid, public_key = key
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise Refused("not a signed note")
    text, lines = note[:cut + 1], note[cut + 2:-1].split("\n")
    for line in lines:
        if not line.startswith(DASH):
            raise Refused("a signature line does not start with an em dash")
        signer, b64 = line[len(DASH):].split(" ")
        sig = base64.b64decode(b64, validate=True)
        if signer != name or sig[:4] != kid:
            continue  # another key's: ignored, as the spec says
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(sig[4:], text.encode())
        except InvalidSignature:
            raise Refused(f"the signature of {name} does not verify")
        body = text.split("\n")
        if len(body) != 4 or body[3] != "":
            raise Refused("a checkpoint body is three lines")
        if body[0] != name:
            raise Refused(f"the checkpoint is for origin {body[0]!r}, not {name!r}")
        root = base64.b64decode(body[2], validate=True)
        if str(int(body[1])) != body[1] or len(root) != 32:
            raise Refused("the checkpoint's size or root line is malformed")
        return int(body[1]), root
    raise Refused(f"not signed by {name}")


def sign_checkpoint(origin, size, root, name, private_key):
    text = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
    public = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    sig = key_id(name, 0x01, public) + private_key.sign(text.encode())
    return text + "\n" + DASH + name + " " + base64.b64encode(sig).decode() + "\n"


# ---- the checks ----

class Log:
    def __init__(self, address, token):
        channel = grpc.insecure_channel(address)
        self.metadata = (("authorization", "Bearer " + token),)
        identity = lambda b: b
        call = lambda name: channel.unary_unary(f"/salesledger.v1.AuditService/{name}",
                                                request_serializer=identity, response_deserializer=identity)
        self._checkpoint = call("GetCheckpoint")
        self._inclusion = call("GetInclusionProof")
        self._consistency = call("GetConsistencyProof")
        self._events = channel.unary_stream("/salesledger.v1.AuditService/ReadEvents",
                                            request_serializer=identity, response_deserializer=identity)

    def checkpoint(self, size=0):
        return first(self._checkpoint(message((1, size)), metadata=self.metadata), 1, b"").decode()

    def inclusion(self, seq, size):
        """(tree size, leaf hash, proof, the entry's bytes)"""
        r = self._inclusion(message((1, seq), (2, size)), metadata=self.metadata)
        return first(r, 3, 0), first(r, 4, b""), every(r, 5), first(r, 6, b"")

    def consistency(self, old, new):
        return every(self._consistency(message((1, old), (2, new)), metadata=self.metadata), 3)

    def leaves(self):
        return [leaf_hash(first(r, 2, b"")) for r in self._events(b"\x18\x01", metadata=self.metadata)]


def forgeries(log, key, leaves, size, root, private_key):
    """Changes a good proof or checkpoint in each way the issue lists; returns how many were refused."""
    name = key[0]
    seq = size // 2 + 1
    proof_size, leaf, proof, raw = log.inclusion(seq, size)
    checkpoint = (size, root)
    verify_entry(seq, proof_size, leaf, raw, proof, checkpoint)  # the original holds
    attempts = []
    for i in range(len(proof)):
        for bit in (0, 100, 255):
            bad = list(proof)
            bad[i] = bytes(b ^ (1 << (bit % 8)) if j == bit // 8 else b for j, b in enumerate(bad[i]))
            attempts.append((f"bit {bit} of proof hash {i}",
                             lambda bad=bad: verify_entry(seq, size, leaf, raw, bad, checkpoint)))
    flipped_leaf = bytes([leaf[0] ^ 1]) + leaf[1:]
    flipped_raw = bytes([raw[0] ^ 1]) + raw[1:]
    attempts += [
        ("a flipped bit in the leaf", lambda: verify_entry(seq, size, flipped_leaf, None, proof, checkpoint)),
        ("a flipped bit in the entry", lambda: verify_entry(seq, size, leaf, flipped_raw, proof, checkpoint)),
        ("a wrong index", lambda: verify_entry(seq + 1, size, leaf, raw, proof, checkpoint)),
        ("an index past the tree", lambda: verify_entry(size + 1, size, leaf, raw, proof, checkpoint)),
        ("a tree size larger than the checkpoint's", lambda: verify_entry(seq, size + 1, leaf, raw, proof, checkpoint)),
        ("a proof one hash short", lambda: verify_entry(seq, size, leaf, raw, proof[:-1], checkpoint)),
        ("a proof one hash long", lambda: verify_entry(seq, size, leaf, raw, proof + [proof[0]], checkpoint)),
    ]
    old = size // 3
    cproof = log.consistency(old, size)
    old_root = mth(leaves, 0, old, {})
    verify_consistency(old, size, cproof, old_root, root)
    for i in range(len(cproof)):
        bad = list(cproof)
        bad[i] = bytes([bad[i][0] ^ 0x80]) + bad[i][1:]
        attempts.append((f"consistency hash {i} flipped", lambda bad=bad: verify_consistency(old, size, bad, old_root, root)))
    attempts += [
        ("a consistency proof one hash short", lambda: verify_consistency(old, size, cproof[:-1], old_root, root)),
        ("a consistency proof from another size", lambda: verify_consistency(old + 1, size, cproof, mth(leaves, 0, old + 1, {}), root)),
        ("another old root", lambda: verify_consistency(old, size, cproof, root, root)),
    ]
    real = log.checkpoint(size)
    stranger = Ed25519PrivateKey.generate()
    attempts += [
        ("a checkpoint signed by another key under the log's name",
         lambda: open_checkpoint(sign_checkpoint(name, size, root, name, stranger), key)),
        ("a checkpoint whose size line was changed",
         lambda: open_checkpoint(real.replace(f"\n{size}\n", f"\n{size + 1}\n", 1), key)),
        ("a checkpoint whose signature bytes were changed",
         lambda: open_checkpoint(real[:-6] + ("A" if real[-6] != "A" else "B") + real[-5:], key)),
    ]
    if private_key is not None:
        attempts.append(("a checkpoint for another origin, signed with the log's own key",
                         lambda: open_checkpoint(sign_checkpoint("other.example/log", size, root, name, private_key), key)))
    refused = 0
    for what, attempt in attempts:
        try:
            attempt()
        except Refused:
            refused += 1
            continue
        print(f"FORGERY ACCEPTED: {what}")
        return None
    return refused


def read_private_key(path):
    text = open(path).read().strip()
    parts = text.split("+", 4)
    raw = base64.b64decode(parts[4], validate=True)
    if parts[:2] != ["PRIVATE", "KEY"] or raw[0] != 0x01:
        raise ValueError(f"{path} is not a log's private key")
    return Ed25519PrivateKey.from_private_bytes(raw[1:])


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    address, token_file, key_text = argv[1:4]
    options = {"--sizes": "", "--sample": "300", "--pairs": "100", "--log-private-key": ""}
    forge = False
    i = 4
    while i < len(argv):
        if argv[i] == "--forge":
            forge = True
            i += 1
        else:
            options[argv[i]] = argv[i + 1]
            i += 2
    key = parse_verifier_key(key_text)
    log = Log(address, open(token_file).read().strip())

    try:
        latest_size, latest_root = open_checkpoint(log.checkpoint(), key)
    except Refused as e:
        print(f"checkpoint refused: {e}")
        return 1
    sizes = sorted({int(s) for s in options["--sizes"].split(",") if s} | {latest_size})
    leaves = log.leaves()
    if len(leaves) < latest_size:
        print(f"the log has {len(leaves)} events; its checkpoint says {latest_size}")
        return 1
    memo, roots = {}, {}
    for size in sizes:
        try:
            got_size, root = open_checkpoint(log.checkpoint(size), key)
        except Refused as e:
            print(f"checkpoint of size {size} refused: {e}")
            return 1
        if got_size != size:
            print(f"the checkpoint asked for at size {size} is of size {got_size}")
            return 1
        if root != mth(leaves, 0, size, memo):
            print(f"the checkpoint of size {size} does not have the root of the events' tree")
            return 1
        roots[size] = root
    print(f"checkpoints verified: {len(sizes)} (sizes {','.join(map(str, sizes))})")

    rng = random.Random(9162)
    for size in sizes:
        seqs = range(1, size + 1)
        if size != latest_size and 0 < int(options["--sample"]) < size:
            seqs = sorted({1, size} | set(rng.sample(range(1, size + 1), int(options["--sample"]))))
        for seq in seqs:
            proof_size, leaf, proof, raw = log.inclusion(seq, size)
            try:
                if leaf != leaves[seq - 1]:
                    raise Refused("the leaf hash is not the one of the event read")
                verify_entry(seq, proof_size, leaf, raw, proof, (size, roots[size]))
            except Refused as e:
                print(f"inclusion proof of seq {seq} at size {size} refused: {e}")
                return 1
        print(f"inclusion proofs verified: {len(seqs)} at size {size}")

    pairs = int(options["--pairs"])
    for _ in range(pairs):
        a, b = sorted(rng.randint(1, latest_size) for _ in range(2))
        try:
            verify_consistency(a, b, log.consistency(a, b), mth(leaves, 0, a, memo), mth(leaves, 0, b, memo))
        except Refused as e:
            print(f"consistency proof {a} -> {b} refused: {e}")
            return 1
    print(f"consistency proofs verified: {pairs}")

    if forge:
        private_key = read_private_key(options["--log-private-key"]) if options["--log-private-key"] else None
        refused = forgeries(log, key, leaves, latest_size, latest_root, private_key)
        if refused is None:
            return 1
        print(f"forgeries refused: {refused}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

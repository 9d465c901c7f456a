// ledgerctl's proofs (SPEC.md §5 "Proofs", §7): the log's key and checkpoints, inclusion proofs of
// entries and their offline check, and the auditor's witness.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/files.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "services/grpc_status.h"
#include "services/log_key.h"
#include "tools/ctl_support.h"
#include "tools/ctl_verbs.h"
#include "transparency/cosignature.h"
#include "transparency/proof_bundle.h"
#include "transparency/witness.h"

namespace salesledger::ctl {
namespace {

uint64_t SizeFlag(const CliFlags& flags, const char* name) {
  uint64_t n = 0;
  if (!absl::SimpleAtoi(flags.Get(name), &n)) std::exit(Fail(absl::InvalidArgumentError(absl::StrCat("--", name, " must be a number"))));
  return n;
}

}  // namespace

int Checkpoint(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"data-dir", "", "offline: read log.key from this data dir instead of asking the server"},
                              {"size", "0", "show: the checkpoint signed at this tree size (0 = the latest)"}}));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::string what = flags.positional().empty() ? "" : flags.positional()[0];
  if (!parsed.ok() || flags.help() || flags.positional().size() != 1 || (what != "key" && what != "show")) {
    std::cerr << "usage: ledgerctl checkpoint key [--data-dir DIR | --server HOST:PORT]\n"
                 "       ledgerctl checkpoint show [--size N] [--server HOST:PORT]\n"
                 "key: the log's verifier key (give it to auditors through another channel than this server).\n"
                 "show: a signed checkpoint of the log's Merkle tree, as the log signed it.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  if (what == "key" && !flags.Get("data-dir").empty()) {
    absl::StatusOr<note::Signer> key = ReadLogKey(flags.Get("data-dir"));
    if (!key.ok()) return Fail(key.status());
    std::cout << key->verifier().ToString() << std::endl;
    return 0;
  }
  auto stub = v1::AuditService::NewStub(Connect(flags));
  absl::StatusOr<v1::GetCheckpointResponse> checkpoint =
      FetchCheckpoint(flags, *stub, what == "show" ? SizeFlag(flags, "size") : 0);
  if (!checkpoint.ok()) return Fail(checkpoint.status());
  std::cout << (what == "key" ? checkpoint->log_key() + "\n" : checkpoint->checkpoint()) << std::flush;
  return 0;
}

int Prove(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"size", "0", "prove against the checkpoint signed at this tree size (0 = the latest)"},
                              {"json", "", "JSON instead of the text form", true},
                              {"wait", "5s", "how long to wait for a checkpoint that holds SEQ"}}));
  uint64_t seq = 0;
  absl::Duration wait;
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help() || flags.positional().size() != 1 ||
                                                    !absl::SimpleAtoi(flags.positional()[0], &seq) ||
                                                    !absl::ParseDuration(flags.Get("wait"), &wait)) {
    std::cerr << "usage: ledgerctl prove SEQ [--size N] [--json] [flags]\n"
                 "Prints the inclusion proof of entry SEQ in the log's Merkle tree, with the signed checkpoint\n"
                 "it proves against: a file 'ledgerctl check-proof' verifies with no server.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto stub = v1::AuditService::NewStub(Connect(flags));
  const absl::Time deadline = absl::Now() + wait;
  absl::StatusOr<v1::GetCheckpointResponse> checkpoint;
  for (;;) {
    checkpoint = FetchCheckpoint(flags, *stub, SizeFlag(flags, "size"));
    if (!checkpoint.ok()) return Fail(checkpoint.status());
    // The server signs at most once a second: an entry just made is in the next checkpoint.
    if (checkpoint->tree_size() >= seq || SizeFlag(flags, "size") != 0 || absl::Now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  v1::GetInclusionProofRequest request;
  request.set_seq(seq);
  request.set_tree_size(checkpoint->tree_size());
  v1::GetInclusionProofResponse proof;
  if (grpc::Status s = stub->GetInclusionProof(ctx->get(), request, &proof); !s.ok()) return Fail(s);
  ProofBundle bundle{proof.seq(), proof.tree_size(), proof.leaf_hash(), proof.raw(),
                     {proof.proof().begin(), proof.proof().end()}, checkpoint->checkpoint()};
  std::cout << (flags.GetBool("json") ? bundle.ToJson() : bundle.ToText()) << std::flush;
  return 0;
}

int CheckProof(int argc, char** argv) {
  CliFlags flags({{"key", "", "the log's verifier key, or a file holding it (trusted from elsewhere)"},
                  {"leaf-hash", "", "base64: the leaf hash the entry's EntryResponse gave, to match"}});
  if (absl::Status s = flags.Parse(argc, argv, 2);
      !s.ok() || flags.help() || flags.positional().size() != 1 || flags.Get("key").empty()) {
    std::cerr << "usage: ledgerctl check-proof FILE --key VERIFIER [--leaf-hash B64]\n"
                 "Verifies a proof from 'ledgerctl prove' offline: the checkpoint's signature by the log's key,\n"
                 "that the proof is for the checkpoint's tree size, the leaf against the entry, and every\n"
                 "step of the inclusion proof (RFC 9162 §2.1.3.2). Exits 1 naming what fails.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  absl::StatusOr<note::Verifier> key = VerifierArg("key", flags.Get("key"));
  if (!key.ok()) return Fail(key.status());
  std::string expected;
  if (!flags.Get("leaf-hash").empty() && !absl::Base64Unescape(flags.Get("leaf-hash"), &expected)) {
    return Fail(absl::InvalidArgumentError("--leaf-hash is not base64"));
  }
  absl::StatusOr<std::string> text = ReadWholeFile(flags.positional()[0]);
  if (!text.ok()) return Fail(text.status());
  absl::StatusOr<ProofBundle> bundle = ParseProofBundle(*text);
  if (!bundle.ok()) return Fail(bundle.status());
  absl::StatusOr<TreeCheckpoint> checkpoint = CheckProofBundle(*bundle, *key, expected);
  if (!checkpoint.ok()) return Fail(checkpoint.status());
  std::cout << "OK: seq " << bundle->seq << " (leaf " << absl::Base64Escape(bundle->leaf_hash) << ") is in "
            << checkpoint->origin << " at tree size " << checkpoint->size << ", root "
            << absl::Base64Escape(checkpoint->root) << "\n";
  v1::Event event;
  if (!bundle->event.empty() && event.ParseFromString(bundle->event)) {
    const auto* body = v1::Event::descriptor()->FindFieldByNumber(event.body_case());
    std::cout << "    " << (body ? body->name() : "?") << " by " << event.actor_id() << ", recorded "
              << absl::FormatTime(absl::RFC3339_full, FromProto(event.recorded_at()), absl::UTCTimeZone()) << "\n";
  }
  return 0;
}

namespace {

int WitnessKeygen(const CliFlags& flags) {
  if (flags.Get("name").empty() || flags.Get("out").empty()) {
    std::cerr << "usage: ledgerctl witness keygen --name NAME --out FILE\n";
    return 2;
  }
  if (std::ifstream(flags.Get("out"))) {
    return Fail(absl::AlreadyExistsError(absl::StrCat(flags.Get("out"), " exists; a witness keeps its key")));
  }
  absl::StatusOr<note::Signer> key = note::NewSigner(flags.Get("name"), note::kEd25519Cosignature);
  if (!key.ok()) return Fail(key.status());
  if (absl::Status s = WriteSecretFile(flags.Get("out"), key->ToString() + "\n"); !s.ok()) return Fail(s);
  std::cout << key->verifier().ToString() << std::endl;
  return 0;
}

// Signs the accepted checkpoint with the witness's key and records it in the log.
int Cosign(const CliFlags& flags, v1::AuditService::Stub& stub, const std::string& checkpoint,
           const TreeCheckpoint& opened) {
  absl::StatusOr<std::string> text = ReadSecretFile(flags.Get("cosign"));
  if (!text.ok()) return Fail(text.status());
  absl::StatusOr<note::Signer> key = note::ParseSignerKey(absl::StripAsciiWhitespace(*text));
  if (!key.ok()) return Fail(absl::InvalidArgumentError(absl::StrCat("--cosign: ", key.status().message())));
  if (key->type != note::kEd25519Cosignature) {
    return Fail(absl::InvalidArgumentError("--cosign: not a cosigner's key (make one with 'ledgerctl witness keygen')"));
  }
  const uint64_t now = static_cast<uint64_t>(absl::ToUnixSeconds(absl::Now()));
  v1::AddCosignatureRequest request;
  // One cosignature per witness, size and second: a retry within the second replays, a later run
  // states again that the witness still sees this tree.
  request.set_request_id(absl::StrCat("cosign-", absl::Hex(key->id(), absl::kZeroPad8), "-", opened.size, "-", now));
  request.set_checkpoint(checkpoint + CosignatureLine(opened.Body(), *key, now));
  request.set_cosigner_key(key->verifier().ToString());
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  v1::EntryResponse response;
  if (grpc::Status s = stub.AddCosignature(ctx->get(), request, &response); !s.ok()) return Fail(s);
  std::cout << "witness: cosigned tree size " << opened.size << " as " << key->name << "; recorded at seq "
            << response.seq() << (response.replayed() ? " (earlier)" : "") << std::endl;
  return 0;
}

}  // namespace

int Witness(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"state", "", "the witness's own state file (made on the first run)"},
                              {"log-key", "", "first run: the log's verifier key, or a file holding it"},
                              {"cosign", "", "cosign the accepted checkpoint with this key file (witness keygen)"},
                              {"name", "", "keygen: the witness's key name"},
                              {"out", "", "keygen: where to write the new private key (mode 0600)"}}));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  if (parsed.ok() && flags.positional().size() == 1 && flags.positional()[0] == "keygen") return WitnessKeygen(flags);
  if (!parsed.ok() || flags.help() || !flags.positional().empty() || flags.Get("state").empty()) {
    std::cerr << "usage: ledgerctl witness --state FILE [--log-key VERIFIER] [--cosign KEYFILE] [flags]\n"
                 "       ledgerctl witness keygen --name NAME --out KEYFILE\n"
                 "Fetches the log's newest checkpoint, checks its signature against the trusted key and its\n"
                 "consistency with the checkpoint this witness accepted last, then stores it in FILE; or exits\n"
                 "1 saying what failed. With --cosign, records the witness's cosignature in the log.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  const std::string path = flags.Get("state");
  WitnessState state;
  if (absl::StatusOr<std::string> text = ReadWholeFile(path); text.ok()) {
    absl::StatusOr<WitnessState> read = ParseWitnessState(*text);
    if (!read.ok()) return Fail(absl::DataLossError(absl::StrCat(path, ": ", read.status().message())));
    state = *std::move(read);
    if (!flags.Get("log-key").empty()) {
      absl::StatusOr<note::Verifier> given = VerifierArg("log-key", flags.Get("log-key"));
      if (!given.ok()) return Fail(given.status());
      if (given->ToString() != state.log_key.ToString()) {
        return Fail(absl::FailedPreconditionError(absl::StrCat(
            "--log-key differs from the key ", path, " trusts (", state.log_key.ToString(), "); a witness's trust does not change")));
      }
    }
  } else {
    if (flags.Get("log-key").empty()) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          path, " does not exist: the first run needs --log-key, the log's verifier key from a channel you trust")));
    }
    absl::StatusOr<note::Verifier> given = VerifierArg("log-key", flags.Get("log-key"));
    if (!given.ok()) return Fail(given.status());
    state.log_key = *given;
  }
  auto stub = v1::AuditService::NewStub(Connect(flags));
  absl::StatusOr<v1::GetCheckpointResponse> latest = FetchCheckpoint(flags, *stub, 0);
  if (!latest.ok()) return Fail(latest.status());
  absl::StatusOr<TreeCheckpoint> accepted = CheckNextCheckpoint(
      state, latest->checkpoint(), [&](uint64_t old_size, uint64_t new_size) -> absl::StatusOr<std::vector<std::string>> {
        ASSIGN_OR_RETURN(auto ctx, Authorized(flags));
        v1::GetConsistencyProofRequest request;
        request.set_old_size(old_size);
        request.set_new_size(new_size);
        v1::GetConsistencyProofResponse response;
        RETURN_IF_ERROR(FromGrpc(stub->GetConsistencyProof(ctx.get(), request, &response)));
        return std::vector<std::string>(response.proof().begin(), response.proof().end());
      });
  if (!accepted.ok()) return Fail(accepted.status());
  uint64_t before = 0;
  if (absl::StatusOr<TreeCheckpoint> last = OpenCheckpoint(state.checkpoint, state.log_key); last.ok()) {
    before = last->size;
  }
  state.checkpoint = latest->checkpoint();
  state.accepted_at = absl::Now();
  if (absl::Status s = WriteSecretFile(path, state.ToText()); !s.ok()) return Fail(s);
  std::cout << "witness: accepted " << accepted->origin << " at tree size " << accepted->size << ", root "
            << absl::Base64Escape(accepted->root)
            << (before == 0 ? " (first checkpoint)" : absl::StrCat(", consistent with size ", before)) << std::endl;
  if (!flags.Get("cosign").empty()) return Cosign(flags, *stub, latest->checkpoint(), *accepted);
  return 0;
}

}  // namespace salesledger::ctl

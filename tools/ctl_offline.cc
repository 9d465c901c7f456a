#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"

#include <sstream>

#include "absl/strings/str_format.h"
#include "google/protobuf/text_format.h"
#include "projections/projector.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "queries/what_if.h"
#include "projections/state_codec.h"
#include "services/simulation.h"
#include "tools/ctl_support.h"
#include "tools/ctl_verbs.h"

namespace salesledger::ctl {

int Simulate(int argc, char** argv) {
  CliFlags flags({{"scratch-dir", "", "where the temporary ledger lives (default $TMPDIR)"}});
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help() || flags.positional().size() != 1) {
    std::cerr << "usage: ledgerctl simulate [flags] FILE.jsonl\n"
                 "Runs each line through the same command handling as the server with a scripted clock\n"
                 "and a temporary data dir, and prints the report of SPEC.md §8.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  std::ifstream in(flags.positional()[0]);
  if (!in) {
    std::cerr << "ledgerctl: cannot read " << flags.positional()[0] << "\n";
    return 1;
  }
  auto report = salesledger::Simulate(in, {flags.Get("scratch-dir")});
  if (!report.ok()) {
    std::cerr << "ledgerctl: " << report.status().message() << "\n";
    return 1;
  }
  std::cout << *report << std::endl;
  return 0;
}

int Rebuild(int argc, char** argv) {
  CliFlags flags(WithTlsFlags({{"data-dir", "./data", "offline: the data dir of a stopped ledgerd"},
                               {"what", "projections,tree", "offline: what to rebuild, 'projections', 'tree' or both"},
                               {"server", "", "online: rebuild inside this running ledgerd instead"},
                               {"token-file", "data/admin.token", "with --server: the admin's bearer token"}}));
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help()) {
    std::cerr << "usage: ledgerctl rebuild [--data-dir DIR [--what projections|tree] | --server HOST:PORT]\n"
                 "Folds every event from seq 1 into fresh projections. Offline, it also builds the Merkle tree\n"
                 "again from the events, and stores the projections as the checkpoint ledgerd resumes from\n"
                 "(ledgerd must not be running on DIR). Online, the server keeps serving, swaps the rebuilt\n"
                 "state in when caught up, and checkpoints it (the tree is rebuilt offline only).\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  if (!flags.Get("server").empty()) {
    auto ctx = Authorized(flags);
    if (!ctx.ok()) return Fail(ctx.status());
    auto reader = v1::AdminService::NewStub(Connect(flags))->RebuildProjections(ctx->get(), v1::RebuildProjectionsRequest());
    ProgressBar bar("rebuild");
    v1::RebuildProgress p;
    uint64_t swapped = 0;
    while (reader->Read(&p)) {
      bar(p.folded_seq(), p.target_seq());
      if (p.done()) swapped = p.swapped_at_seq();
    }
    if (grpc::Status s = reader->Finish(); !s.ok()) return Fail(s);
    std::cout << "rebuilt projections online; swapped in at seq " << swapped << std::endl;
    return 0;
  }
  auto log = OpenLog(flags.Get("data-dir"), false);
  if (!log.ok()) {
    std::cerr << "ledgerctl: " << log.status().message() << "\n";
    return 1;
  }
  const std::string what = flags.Get("what");
  if (what != "projections" && what != "tree" && what != "projections,tree" && what != "tree,projections") {
    return Fail(absl::InvalidArgumentError(absl::StrCat("--what is 'projections', 'tree' or both; got '", what, "'")));
  }
  if (absl::StrContains(what, "tree")) {
    const absl::Time start = absl::Now();
    if (absl::Status s = (*log)->RebuildTree(); !s.ok()) return Fail(s);
    absl::StatusOr<std::string> root = (*log)->TreeRoot((*log)->tree_size());
    if (!root.ok()) return Fail(root.status());
    std::cout << "rebuilt the Merkle tree over " << (*log)->tree_size() << " events in "
              << absl::FormatDuration(absl::Now() - start) << ", root " << absl::Base64Escape(*root) << std::endl;
  }
  if (!absl::StrContains(what, "projections")) return 0;
  const absl::Time start = absl::Now();
  ProgressBar bar("rebuild");
  auto state = FoldFromScratch(**log, 0, [&](uint64_t d, uint64_t t) { bar(d, t); });
  if (!state.ok()) {
    std::cerr << "ledgerctl: " << state.status().message() << "\n";
    return 1;
  }
  const absl::Time folded = absl::Now();
  if (absl::Status s = WriteCheckpoint(**log, *state); !s.ok()) {
    std::cerr << "ledgerctl: " << s.message() << "\n";
    return 1;
  }
  const absl::Duration took = absl::Now() - start;
  std::cout << "rebuilt projections at seq " << state->head_seq << " in " << absl::FormatDuration(took) << " ("
            << static_cast<int64_t>(state->head_seq / std::max(absl::ToDoubleSeconds(took), 1e-9))
            << " events/s; fold " << absl::FormatDuration(folded - start) << ", checkpoint "
            << absl::FormatDuration(absl::Now() - folded) << ")" << std::endl;
  return 0;
}

namespace {

void PrintTree(uint64_t size, const std::string& root, uint64_t checkpoints, uint64_t cosignatures) {
  std::cout << "tree: OK, " << size << " leaves, root " << absl::Base64Escape(root) << "; " << checkpoints
            << " signed checkpoints and " << cosignatures << " cosignatures match it" << std::endl;
}

absl::Status VerifyTreeOffline(const EventLog& log, const std::string& data_dir) {
  ASSIGN_OR_RETURN(const std::optional<TreeAudit> audit, AuditTreeOffline(log, data_dir));
  if (!audit) {
    std::cout << "tree: none yet (ledgerd builds it at its next start)" << std::endl;
  } else {
    PrintTree(audit->size, audit->root, audit->checkpoints, audit->cosignatures);
  }
  return absl::OkStatus();
}

}  // namespace

int VerifyThroughServer(const CliFlags& flags) {
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  auto channel = Connect(flags);
  v1::VerifyChainResponse chain;
  if (grpc::Status s = v1::AuditService::NewStub(channel)->VerifyChain(ctx->get(), v1::VerifyChainRequest(), &chain);
      !s.ok()) {
    return Fail(s);
  }
  std::cout << "chain: OK, seq 1.." << chain.verified_to() << ", head " << ToHex(chain.hash()) << std::endl;
  auto ctx_tree = Authorized(flags);
  v1::VerifyTreeResponse tree;
  if (grpc::Status s = v1::AuditService::NewStub(channel)->VerifyTree(ctx_tree->get(), v1::VerifyTreeRequest(), &tree);
      !s.ok()) {
    return Fail(s);
  }
  PrintTree(tree.tree_size(), tree.root_hash(), tree.checkpoints_checked(), tree.cosignatures_checked());
  auto ctx2 = Authorized(flags);
  v1::VerifyProjectionsResponse projections;
  if (grpc::Status s =
          v1::AdminService::NewStub(channel)->VerifyProjections(ctx2->get(), v1::VerifyProjectionsRequest(), &projections);
      !s.ok()) {
    return Fail(s);
  }
  if (!projections.equal()) {
    return Fail(absl::DataLossError(absl::StrCat("the served projections at seq ", projections.seq(),
                                                 " differ from a fresh fold; run 'ledgerctl rebuild --server'")));
  }
  std::cout << "projections: OK, the served state at seq " << projections.seq() << " equals a fresh fold" << std::endl;
  return 0;
}

int Verify(int argc, char** argv) {
  CliFlags flags(WithTlsFlags({{"data-dir", "./data", "offline: the data dir (read-only; a running server may keep using it)"},
                               {"server", "", "check through this running ledgerd instead"},
                               {"token-file", "data/admin.token", "with --server: the admin's bearer token"}}));
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help()) {
    std::cerr << "usage: ledgerctl verify [--data-dir DIR | --server HOST:PORT]\n"
                 "Checks the hash chain from seq 1 to the head; the Merkle tree against the events, every signed\n"
                 "checkpoint against the log's key and the tree, every recorded cosignature against the tree;\n"
                 "and that the projections (offline: the stored checkpoint; through the server: the state it\n"
                 "serves) equal a fresh fold of the log. Exits 1 naming the first problem. It cannot see a\n"
                 "rewrite by whoever holds the log's key: that is what a witness is for (ledgerctl witness).\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  if (!flags.Get("server").empty()) return VerifyThroughServer(flags);
  auto log = OpenLog(flags.Get("data-dir"), true);
  if (!log.ok()) {
    std::cerr << "ledgerctl: " << log.status().message() << " [" << absl::StatusCodeToString(log.status().code())
              << "]\n";
    return 1;
  }
  auto chain = (*log)->VerifyChain(0, 0);
  if (!chain.ok()) {
    std::cerr << "ledgerctl: " << chain.status().message() << " [" << absl::StatusCodeToString(chain.status().code())
              << "]\n";
    return 1;
  }
  std::cout << "chain: OK, seq 1.." << chain->seq << ", head " << ToHex(chain->hash) << std::endl;
  if (absl::Status s = VerifyTreeOffline(**log, flags.Get("data-dir")); !s.ok()) return Fail(s);
  auto checkpoint = ReadCheckpoint(**log);
  if (!checkpoint.ok()) {
    std::cerr << "ledgerctl: " << checkpoint.status().message() << "\n";
    return 1;
  }
  if (!*checkpoint) {
    std::cout << "projections: no checkpoint stored (ledgerd folds from seq 1)" << std::endl;
    return 0;
  }
  ProgressBar bar("fold");
  auto fresh = FoldFromScratch(**log, (*checkpoint)->seq, [&](uint64_t d, uint64_t t) { bar(d, t); });
  if (!fresh.ok()) {
    std::cerr << "ledgerctl: " << fresh.status().message() << "\n";
    return 1;
  }
  auto stored = DigestCheckpointPieces(**log, **checkpoint);
  if (!stored.ok()) {
    std::cerr << "ledgerctl: " << stored.status().message() << "\n";
    return 1;
  }
  if (*stored != (*checkpoint)->state_digest || StateDigest(*fresh) != (*checkpoint)->state_digest) {
    std::cerr << "ledgerctl: the stored projections at seq " << (*checkpoint)->seq
              << " differ from a fresh fold of the log; run 'ledgerctl rebuild' [DATA_LOSS]\n";
    return 1;
  }
  std::cout << "projections: OK, the checkpoint at seq " << (*checkpoint)->seq << " equals a fresh fold" << std::endl;
  return 0;
}

int WhatIfVerb(int argc, char** argv) {
  CliFlags flags({{"data-dir", "./data", "the data dir (read-only; a running server may keep using it)"},
                  {"policy", "", "a text-format salesledger.v1.Policy (see 'ledgerctl policy show')"},
                  {"month", "", "YYYY-MM: the entries recorded this month are judged by --policy"},
                  {"csv", "", "CSV instead of a table", true}});
  if (absl::Status s = flags.Parse(argc, argv, 2);
      !s.ok() || flags.help() || flags.Get("policy").empty() || flags.Get("month").empty()) {
    std::cerr << "usage: ledgerctl what-if --policy FILE --month YYYY-MM [--data-dir DIR] [--csv]\n"
                 "Replays the log with FILE in force for the entries recorded in the month, without writing\n"
                 "anything, and prints each person's statement total as recorded and under FILE.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  std::ifstream in(flags.Get("policy"));
  std::stringstream text;
  text << in.rdbuf();
  v1::Policy policy;
  if (!in || !google::protobuf::TextFormat::ParseFromString(text.str(), &policy)) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(flags.Get("policy"), " is not a text-format salesledger.v1.Policy")));
  }
  auto log = OpenLog(flags.Get("data-dir"), /*read_only=*/true);
  if (!log.ok()) return Fail(log.status());
  auto rows = WhatIf([&](const PolicyOverride* judge_by) { return FoldFromScratch(**log, 0, {}, judge_by); }, policy,
                     flags.Get("month"));
  if (!rows.ok()) return Fail(rows.status());
  if (flags.GetBool("csv")) {
    std::cout << "person_id,actual_fen,what_if_fen,difference_fen,actual_items,what_if_items\n";
  } else {
    std::cout << absl::StrFormat("%-12s %14s %14s %14s %6s %6s\n", "person", "actual (元)", "what-if (元)",
                                 "difference", "items", "items'");
  }
  for (const auto& r : *rows) {
    if (flags.GetBool("csv")) {
      std::cout << absl::StrCat(r.person_id, ",", r.actual_fen, ",", r.what_if_fen, ",", r.what_if_fen - r.actual_fen, ",",
                                r.actual_items, ",", r.what_if_items)
                << "\n";
    } else {
      std::cout << absl::StrFormat("%-12s %14s %14s %14s %6d %6d\n", r.person_id, Yuan(r.actual_fen), Yuan(r.what_if_fen),
                                   Yuan(r.what_if_fen - r.actual_fen), r.actual_items, r.what_if_items);
    }
  }
  return 0;
}

}  // namespace salesledger::ctl

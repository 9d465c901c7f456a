// ledgerctl: the salesledger admin and auditor tool (SPEC.md §7). Each verb lives in a ctl_*.cc.
#include <iostream>
#include <string>

#include "tools/ctl_verbs.h"

namespace {

constexpr char kUsage[] =
    "usage: ledgerctl VERB [flags] [args]\n"
    "verbs:\n"
    "  simulate FILE     run a scenario file in-process with its own clock; print the report (JSON)\n"
    "  token issue|revoke|rotate  give a person a bearer token, revoke one, or replace your own\n"
    "  outage declare|withdraw  the system was down: excuse the lateness it caused (FINANCE_LEAD)\n"
    "  erasure ask|approve|reject  erase a customer's name and phone (ADMIN asks, FINANCE_LEAD decides)\n"
    "  statement         a person's or a project's monthly penalty statement, table or CSV\n"
    "  backup --to DIR   consistent backup of a running server's data dir\n"
    "  restore           copy a backup into a new data dir and verify its chain\n"
    "  status            head, projection positions, events/s, disk use\n"
    "  import FILE       send a file of commands to a running server (resumable)\n"
    "  events            events as JSON lines, filtered (through the server, or --data-dir)\n"
    "  backdated         the auditor's report of entries recorded late, worst first\n"
    "  as-of SEQ QUERY   a query as the ledger stood right after SEQ\n"
    "  what-if           a month's statements under another policy file (no writes)\n"
    "  rebuild           regenerate every projection from the log, offline (--data-dir)\n"
    "  policy show|set   print the built-in policy as a text-format file; publish a policy file\n"
    "  verify            check the chain, the Merkle tree and its signed checkpoints, and that the\n"
    "                    stored projections equal a fresh fold\n"
    "  checkpoint key|show  the log's verifier key; a signed checkpoint of its Merkle tree\n"
    "  prove SEQ         an entry's inclusion proof with the checkpoint it proves against\n"
    "  check-proof FILE  verify such a proof offline (--key VERIFIER)\n"
    "  witness           the auditor's witness: check the log's newest checkpoint against the last one\n"
    "  print receipt|refund|subscription  print a 收据, 退款收据 or 认购书 from the ledger (PDF)\n"
    "  verify-document FILE.pdf  check a printed page against the ledger, by its QR code\n"
    "  report units|timeliness  the 销控表, or the month's timeliness, as a picture (PDF, SVG, PNG)\n"
    "Run 'ledgerctl VERB --help' for a verb's flags.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string verb = argv[1];
  if (verb == "simulate") return salesledger::ctl::Simulate(argc, argv);
  if (verb == "token") return salesledger::ctl::Token(argc, argv);
  if (verb == "outage") return salesledger::ctl::Outage(argc, argv);
  if (verb == "erasure") return salesledger::ctl::Erasure(argc, argv);
  if (verb == "statement") return salesledger::ctl::Statement(argc, argv);
  if (verb == "backup") return salesledger::ctl::Backup(argc, argv);
  if (verb == "restore") return salesledger::ctl::Restore(argc, argv);
  if (verb == "status") return salesledger::ctl::Status(argc, argv);
  if (verb == "import") return salesledger::ctl::Import(argc, argv);
  if (verb == "events") return salesledger::ctl::Events(argc, argv);
  if (verb == "backdated") return salesledger::ctl::Backdated(argc, argv);
  if (verb == "as-of") return salesledger::ctl::AsOf(argc, argv);
  if (verb == "what-if") return salesledger::ctl::WhatIfVerb(argc, argv);
  if (verb == "rebuild") return salesledger::ctl::Rebuild(argc, argv);
  if (verb == "policy") return salesledger::ctl::Policy(argc, argv);
  if (verb == "verify") return salesledger::ctl::Verify(argc, argv);
  if (verb == "checkpoint") return salesledger::ctl::Checkpoint(argc, argv);
  if (verb == "prove") return salesledger::ctl::Prove(argc, argv);
  if (verb == "check-proof") return salesledger::ctl::CheckProof(argc, argv);
  if (verb == "witness") return salesledger::ctl::Witness(argc, argv);
  if (verb == "print") return salesledger::ctl::Print(argc, argv);
  if (verb == "verify-document") return salesledger::ctl::VerifyDocument(argc, argv);
  if (verb == "report") return salesledger::ctl::Report(argc, argv);
  std::cerr << "ledgerctl: unknown verb '" << verb << "'\n" << kUsage;
  return 2;
}

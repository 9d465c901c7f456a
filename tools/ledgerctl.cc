// ledgerctl: the salesledger admin and auditor tool (SPEC.md §7).
#include <fstream>
#include <iostream>

#include "services/simulation.h"
#include "tools/cli_flags.h"

namespace {

constexpr char kUsage[] =
    "usage: ledgerctl VERB [flags] [args]\n"
    "verbs:\n"
    "  simulate FILE     run a scenario file in-process with its own clock; print the report (JSON)\n"
    "Run 'ledgerctl VERB --help' for a verb's flags.\n";

int Simulate(int argc, char** argv) {
  salesledger::CliFlags flags({{"scratch-dir", "", "where the temporary ledger lives (default $TMPDIR)"}});
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string verb = argv[1];
  if (verb == "simulate") return Simulate(argc, argv);
  std::cerr << "ledgerctl: unknown verb '" << verb << "'\n" << kUsage;
  return 2;
}

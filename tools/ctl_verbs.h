// ledgerctl's verbs: each takes main's argc/argv (argv[1] is the verb) and returns the exit code.
// Each verb runs on main's thread.
#ifndef SALESLEDGER_TOOLS_CTL_VERBS_H_
#define SALESLEDGER_TOOLS_CTL_VERBS_H_

namespace salesledger::ctl {

// Offline, on a data dir or a file (ctl_offline.cc).
int Simulate(int argc, char** argv);
int Rebuild(int argc, char** argv);
int Verify(int argc, char** argv);
int WhatIfVerb(int argc, char** argv);
// Through a running ledgerd (ctl_admin.cc).
int Token(int argc, char** argv);
int Outage(int argc, char** argv);
int Erasure(int argc, char** argv);
int Policy(int argc, char** argv);
int Backup(int argc, char** argv);
int Restore(int argc, char** argv);
int Status(int argc, char** argv);
int Import(int argc, char** argv);  // ctl_import.cc
// The auditor's and finance's reads (ctl_audit.cc).
int Statement(int argc, char** argv);
int Events(int argc, char** argv);
int Backdated(int argc, char** argv);
int AsOf(int argc, char** argv);
// Proofs and the witness (ctl_proofs.cc).
int Checkpoint(int argc, char** argv);
int Prove(int argc, char** argv);
int CheckProof(int argc, char** argv);
int Witness(int argc, char** argv);
// Paper and pictures (ctl_documents.cc).
int Print(int argc, char** argv);
int VerifyDocument(int argc, char** argv);
int Report(int argc, char** argv);

}  // namespace salesledger::ctl

#endif  // SALESLEDGER_TOOLS_CTL_VERBS_H_

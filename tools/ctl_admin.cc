#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/files.h"
#include "services/personal_data.h"
#include "base/time_proto.h"
#include "base/status_macros.h"
#include "google/protobuf/text_format.h"
#include "base/sha256.h"
#include "domain/policy.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "tools/ctl_support.h"
#include "tools/ctl_verbs.h"

namespace salesledger::ctl {

int Token(int argc, char** argv) {
  CliFlags flags(ServerFlags({
      {"person", "", "issue: the person the token is for"},
      {"token-id", "", "the token's id (issue: a new one; revoke: the one to revoke; rotate: the new one's, "
                       "default <person>-<seq>)"},
      {"valid-days", "0", "issue: days until it expires (0 = the policy's token_max_age_days, 90 by default)"},
      {"request-id", "", "idempotency key (default: derived from the arguments)"},
  }));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::vector<std::string>& args = flags.positional();
  const std::string action = args.size() == 1 ? args[0] : "";
  const bool issue = action == "issue", revoke = action == "revoke", rotate = action == "rotate";
  int valid_days = 0;
  if (!parsed.ok() || flags.help() || (!issue && !revoke && !rotate) || (!rotate && flags.Get("token-id").empty()) ||
      (issue && flags.Get("person").empty()) || !absl::SimpleAtoi(flags.Get("valid-days"), &valid_days)) {
    std::cerr << "usage: ledgerctl token issue --person P --token-id T [--valid-days N] [flags]\n"
                 "       ledgerctl token revoke --token-id T [flags]\n"
                 "       ledgerctl token rotate [--token-id NEW] [flags]\n"
                 "issue prints the new bearer token once; only its SHA-256 is stored. A token expires after the\n"
                 "policy's token_max_age_days (90 by default) or --valid-days, whichever is sooner.\n"
                 "rotate replaces the token of --token-file with a fresh one, which it writes to that file (mode\n"
                 "0600, atomically); the old one stops working at once. Rotate before the token expires: an\n"
                 "expired token can only be replaced by an administrator.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  auto stub = v1::AdminService::NewStub(Connect(flags));
  std::string request_id = flags.Get("request-id");
  if (request_id.empty()) {
    // A rotation is of the token in hand: the same one asks for the same rotation.
    const std::string subject = rotate ? ReadToken(flags.Get("token-file")).value_or("")
                                       : absl::StrCat(flags.Get("person"), "/", flags.Get("token-id"));
    request_id = absl::StrCat("ledgerctl-token-", ToHex(Sha256(absl::StrCat(action, "/", subject))).substr(0, 16));
  }
  v1::EntryResponse response;
  grpc::Status status;
  if (issue) {
    v1::IssueTokenRequest request;
    request.set_request_id(request_id);
    request.set_person_id(flags.Get("person"));
    request.set_token_id(flags.Get("token-id"));
    request.set_valid_days(valid_days);
    status = stub->IssueToken(ctx->get(), request, &response);
  } else if (revoke) {
    v1::RevokeTokenRequest request;
    request.set_request_id(request_id);
    request.set_token_id(flags.Get("token-id"));
    status = stub->RevokeToken(ctx->get(), request, &response);
  } else {
    v1::RotateTokenRequest request;
    request.set_request_id(request_id);
    request.set_new_token_id(flags.Get("token-id"));
    status = stub->RotateToken(ctx->get(), request, &response);
  }
  if (!status.ok()) return Fail(status);
  if (!revoke && response.token().empty()) {
    std::cerr << "ledgerctl: this was done earlier (seq " << response.seq()
              << "); a token is shown only once. Ask an administrator for a new one if it was lost.\n";
    return 1;
  }
  if (issue) {
    std::cout << response.token() << std::endl;
  } else if (revoke) {
    std::cout << "revoked token " << flags.Get("token-id") << " (seq " << response.seq() << ")" << std::endl;
  } else {
    // The old token no longer works: the new one must not be lost on the way to the file.
    if (absl::Status s = WriteSecretFile(flags.Get("token-file"), response.token() + "\n"); !s.ok()) {
      std::cerr << "ledgerctl: the token was rotated (seq " << response.seq() << ") but " << flags.Get("token-file")
                << " could not be written (" << s.message() << "); the new token, shown only now:\n"
                << response.token() << std::endl;
      return 1;
    }
    std::cout << "rotated the token (seq " << response.seq() << "); the new one is in " << flags.Get("token-file")
              << ", the old one no longer works" << std::endl;
  }
  return 0;
}

int Outage(int argc, char** argv) {
  CliFlags flags(ServerFlags({
      {"id", "", "the outage's id"},
      {"from", "", "declare: when the system went down (RFC 3339)"},
      {"to", "", "declare: when it was back (RFC 3339)"},
      {"projects", "", "declare: comma-separated project ids (default: the whole group)"},
      {"reason", "", "what happened (declare), or why the outage is withdrawn"},
      {"request-id", "", "idempotency key (default: derived from the arguments)"},
  }));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::vector<std::string>& args = flags.positional();
  const bool declare = args.size() == 1 && args[0] == "declare", withdraw = args.size() == 1 && args[0] == "withdraw";
  if (!parsed.ok() || flags.help() || (!declare && !withdraw) || flags.Get("id").empty() ||
      flags.Get("reason").empty() || (declare && (flags.Get("from").empty() || flags.Get("to").empty()))) {
    std::cerr << "usage: ledgerctl outage declare --id O --from T --to T --reason R [--projects A,B] [flags]\n"
                 "       ledgerctl outage withdraw --id O --reason R [flags]\n"
                 "The system was down (FINANCE_LEAD): every violation whose deadline fell in [from, to) on those\n"
                 "projects is excused, as a waiver would; one raised later by a back-filled entry too. A\n"
                 "withdrawal undoes its excusals.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  const std::string request_id =
      flags.Get("request-id").empty()
          ? absl::StrCat("ledgerctl-outage-", ToHex(Sha256(absl::StrCat(args[0], "/", flags.Get("id")))).substr(0, 16))
          : flags.Get("request-id");
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  auto stub = v1::AdminService::NewStub(Connect(flags));
  v1::EntryResponse response;
  grpc::Status status;
  if (declare) {
    v1::DeclareOutageRequest request;
    request.set_request_id(request_id);
    request.set_outage_id(flags.Get("id"));
    for (absl::string_view p : absl::StrSplit(flags.Get("projects"), ',', absl::SkipEmpty())) {
      request.add_project_ids(std::string(p));
    }
    if (absl::Status s = ParseTimeFlag(flags.Get("from"), "from", request.mutable_from()); !s.ok()) return Fail(s);
    if (absl::Status s = ParseTimeFlag(flags.Get("to"), "to", request.mutable_to()); !s.ok()) return Fail(s);
    request.set_reason(flags.Get("reason"));
    status = stub->DeclareOutage(ctx->get(), request, &response);
  } else {
    v1::WithdrawOutageRequest request;
    request.set_request_id(request_id);
    request.set_outage_id(flags.Get("id"));
    request.set_reason(flags.Get("reason"));
    status = stub->WithdrawOutage(ctx->get(), request, &response);
  }
  if (!status.ok()) return Fail(status);
  std::cout << (declare ? "declared" : "withdrew") << " outage " << flags.Get("id") << " (seq " << response.seq()
            << (response.replayed() ? ", earlier" : "") << ")" << std::endl;
  return 0;
}

int Erasure(int argc, char** argv) {
  CliFlags flags(ServerFlags({
      {"project", "", "the customer's project"},
      {"customer", "", "the customer's id"},
      {"reason", "", "ask: why (e.g. the customer's request under 个人信息保护法 art. 47)"},
      {"note", "", "approve, reject: a note"},
      {"request-id", "", "idempotency key (default: derived from the arguments)"},
  }));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::vector<std::string>& args = flags.positional();
  const std::string step = args.size() == 1 ? args[0] : "";
  const bool ask = step == "ask", decide = step == "approve" || step == "reject";
  if (!parsed.ok() || flags.help() || (!ask && !decide) || flags.Get("project").empty() ||
      flags.Get("customer").empty() || (ask && flags.Get("reason").empty())) {
    std::cerr << "usage: ledgerctl erasure ask --project P --customer C --reason R [flags]      (ADMIN)\n"
                 "       ledgerctl erasure approve|reject --project P --customer C [--note N] [flags]  (FINANCE_LEAD)\n"
                 "Erases a customer's name and phone: an administrator asks, another person from finance\n"
                 "approves; then the customer's data key is destroyed and every view shows 已删除. Amounts,\n"
                 "units, receipts, dates, who entered what, violations and fines stay.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  const std::string request_id =
      flags.Get("request-id").empty()
          ? absl::StrCat("ledgerctl-erasure-",
                         ToHex(Sha256(absl::StrCat(step, "/", flags.Get("project"), "/", flags.Get("customer"))))
                             .substr(0, 16))
          : flags.Get("request-id");
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  auto stub = v1::AdminService::NewStub(Connect(flags));
  v1::EntryResponse response;
  grpc::Status status;
  if (ask) {
    v1::EraseCustomerDataRequest request;
    request.set_request_id(request_id);
    request.set_project_id(flags.Get("project"));
    request.set_customer_id(flags.Get("customer"));
    request.set_reason(flags.Get("reason"));
    status = stub->EraseCustomerData(ctx->get(), request, &response);
  } else {
    v1::DecideErasureRequest request;
    request.set_request_id(request_id);
    request.set_project_id(flags.Get("project"));
    request.set_customer_id(flags.Get("customer"));
    request.set_approve(step == "approve");
    request.set_note(flags.Get("note"));
    status = stub->DecideErasure(ctx->get(), request, &response);
  }
  if (!status.ok()) return Fail(status);
  std::cout << (ask ? "asked for the erasure of customer " : step == "approve" ? "erased customer " : "rejected the erasure of customer ")
            << flags.Get("customer") << " (seq " << response.seq() << (response.replayed() ? ", earlier" : "") << ")"
            << std::endl;
  return 0;
}

int Policy(int argc, char** argv) {
  CliFlags flags(ServerFlags({
      {"file", "", "set: the text-format salesledger.v1.Policy to publish as the next version"},
      {"request-id", "", "idempotency key (default: derived from the file's content)"},
  }));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::vector<std::string>& args = flags.positional();
  const bool show = args.size() == 1 && args[0] == "show", set = args.size() == 1 && args[0] == "set";
  if (!parsed.ok() || flags.help() || (!show && !set) || (set && flags.Get("file").empty())) {
    std::cerr << "usage: ledgerctl policy show            the seed's policy (version 1), as a text-format file\n"
                 "       ledgerctl policy set --file F    publish F as the next policy version (ADMIN, FINANCE_LEAD)\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  if (show) {
    std::string text;
    google::protobuf::TextFormat::PrintToString(DefaultPolicy(), &text);
    std::cout << "# salesledger.v1.Policy (proto/salesledger/v1/policy.proto); version is assigned by the ledger\n"
              << text;
    return 0;
  }
  std::ifstream in(flags.Get("file"));
  std::stringstream text;
  text << in.rdbuf();
  v1::SetPolicyRequest request;
  if (!in || !google::protobuf::TextFormat::ParseFromString(text.str(), request.mutable_policy())) {
    std::cerr << "ledgerctl: " << flags.Get("file") << " is not a text-format salesledger.v1.Policy\n";
    return 1;
  }
  if (absl::Status s = CheckPolicy(request.policy()); !s.ok()) {
    std::cerr << "ledgerctl: " << s.message() << "\n";
    return 1;
  }
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  request.set_request_id(flags.Get("request-id").empty()
                             ? "ledgerctl-policy-" + ToHex(Sha256(text.str())).substr(0, 16)
                             : flags.Get("request-id"));
  v1::EntryResponse response;
  if (grpc::Status s = v1::AdminService::NewStub(Connect(flags))->SetPolicy(ctx->get(), request, &response); !s.ok()) {
    return Fail(s);
  }
  std::cout << "published the policy at seq " << response.seq() << (response.replayed() ? " (earlier)" : "")
            << "; it applies to entries recorded from now on" << std::endl;
  return 0;
}

int Backup(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"to", "", "absolute path of a new directory on the server's machine"}}));
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help() || flags.Get("to").empty()) {
    std::cerr << "usage: ledgerctl backup --to /ABS/PATH [flags]\n"
                 "A consistent copy of the server's data dir (ledger and admin.token) while it keeps running.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  v1::BackupRequest request;
  request.set_path(flags.Get("to"));
  v1::BackupResponse response;
  if (grpc::Status s = v1::AdminService::NewStub(Connect(flags))->Backup(ctx->get(), request, &response); !s.ok()) {
    return Fail(s);
  }
  std::cout << "backed up events 1.." << response.seq() << " (head " << ToHex(response.hash()) << ", "
            << response.bytes() << " bytes) to " << request.path() << std::endl;
  return 0;
}

int Restore(int argc, char** argv) {
  CliFlags flags({{"from", "", "a backup directory (ledgerctl backup --to)"},
                  {"data-dir", "", "a new data dir to restore into"},
                  {"erasures", "", "erasures recorded since the backup was taken, to re-apply before serving: the "
                                   "erasures.tsv of a newer backup, or the list the operator keeps"}});
  if (absl::Status s = flags.Parse(argc, argv, 2);
      !s.ok() || flags.help() || flags.Get("from").empty() || flags.Get("data-dir").empty()) {
    std::cerr << "usage: ledgerctl restore --from BACKUP --data-dir NEW\n"
                 "Copies a backup into a new data dir and verifies its whole chain, its Merkle tree and signed\n"
                 "checkpoints (with the log.key it carries) before it reports success.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  const std::string from = flags.Get("from"), to = flags.Get("data-dir");
  if (std::filesystem::exists(to)) return Fail(absl::AlreadyExistsError(absl::StrCat(to, " already exists")));
  std::error_code ec;
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive, ec);
  if (ec) return Fail(absl::UnavailableError(absl::StrCat("copy ", from, " to ", to, ": ", ec.message())));
  absl::StatusOr<Head> verified = [&]() -> absl::StatusOr<Head> {
    auto log = OpenLog(to, /*read_only=*/true);
    if (!log.ok()) return log.status();
    ASSIGN_OR_RETURN(const Head head, (*log)->VerifyChain(0, 0));
    RETURN_IF_ERROR(AuditTreeOffline(**log, to).status());
    return head;
  }();
  if (!verified.ok()) {
    std::filesystem::remove_all(to, ec);
    return Fail(verified.status());
  }
  std::cout << "restored events 1.." << verified->seq << " into " << to << "; chain verified, tree verified, head "
            << ToHex(verified->hash) << std::endl;
  if (!flags.Get("erasures").empty()) {
    absl::StatusOr<std::string> list = ReadWholeFile(flags.Get("erasures"));
    absl::StatusOr<size_t> applied = list.ok() ? PersonalData::ReapplyErasures(to, *list) : list.status();
    if (!applied.ok()) {
      std::filesystem::remove_all(to, ec);  // never a restored ledger that still opens erased data
      return Fail(applied.status());
    }
    std::cout << "re-applied " << *applied << " erasure(s) from " << flags.Get("erasures")
              << ": their data keys are destroyed; record each again with 'ledgerctl erasure ask' and 'approve' "
                 "once the server runs, so that this ledger's history holds it and the phone is free"
              << std::endl;
  }
  return 0;
}

int Status(int argc, char** argv) {
  CliFlags flags(ServerFlags({}));
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help()) {
    std::cerr << "usage: ledgerctl status [flags]\n\nflags:\n" << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  v1::GetStatusResponse r;
  if (grpc::Status s = v1::AdminService::NewStub(Connect(flags))->GetStatus(ctx->get(), v1::GetStatusRequest(), &r);
      !s.ok()) {
    return Fail(s);
  }
  std::cout << "head            " << r.head_seq() << " " << ToHex(r.head_hash()) << "\n"
            << "projections at  " << r.projection_seq() << " (checkpoint at " << r.checkpoint_seq() << ")\n"
            << "events/s        " << r.events_per_second() << "\n"
            << "disk            " << r.disk_bytes() << " bytes\n"
            << (r.broken_chain().empty() ? "" : "BROKEN CHAIN    " + r.broken_chain() + "\n");
  if (r.has_cluster()) {
    const auto& c = r.cluster();
    std::cout << "node            " << c.node() << ", " << c.role() << "\n"
              << "writer          "
              << (c.writer_node().empty() ? "none yet" : absl::StrCat(c.writer_node(), " at ", c.writer_address(),
                                                                      " (term ", c.term(), ")"))
              << "\n"
              << "lag             " << c.lag_events() << " events\n"
              << "postgresql      " << c.postgresql_primary() << "\n";
    if (c.has_last_failover()) {
      std::cout << "last failover   "
                << absl::FormatTime(absl::RFC3339_sec, FromProto(c.last_failover()), absl::UTCTimeZone()) << "\n";
    }
  }
  for (const auto& t : r.expiring_tokens()) {
    std::cout << "token expiring  " << t.token_id() << " of " << t.person_id() << " at "
              << absl::FormatTime(absl::RFC3339_sec, FromProto(t.expires_at()), absl::UTCTimeZone()) << "\n";
  }
  return 0;
}

}  // namespace salesledger::ctl

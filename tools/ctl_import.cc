// ledgerctl import: sends a file of commands (SPEC.md §8, without `at`) to a running ledgerd.
// Resumable: each line's request_id defaults to a digest of the file's content and the line
// number, so re-running after an interruption sends nothing twice (the server answers the retries
// with the original seq).
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "ledger/sha256.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "services/scenario_line.h"
#include "tools/ctl_support.h"
#include "tools/ctl_verbs.h"

namespace salesledger::ctl {
namespace {

// Sends `command` through the RPC of its name.
grpc::Status Send(v1::AdminService::Stub& admin, v1::EntryService::Stub& entry, grpc::ClientContext* ctx,
                  const v1::Command& command, v1::EntryResponse* response) {
  switch (command.command_case()) {
    case v1::Command::kDefineProject:
      return admin.DefineProject(ctx, command.define_project(), response);
    case v1::Command::kAddPerson:
      return admin.AddPerson(ctx, command.add_person(), response);
    case v1::Command::kUpdatePerson:
      return admin.UpdatePerson(ctx, command.update_person(), response);
    case v1::Command::kSetProjectLeads:
      return admin.SetProjectLeads(ctx, command.set_project_leads(), response);
    case v1::Command::kIssueToken:
      return admin.IssueToken(ctx, command.issue_token(), response);
    case v1::Command::kRevokeToken:
      return admin.RevokeToken(ctx, command.revoke_token(), response);
    case v1::Command::kSetPolicy:
      return admin.SetPolicy(ctx, command.set_policy(), response);
    case v1::Command::kDefineUnit:
      return entry.DefineUnit(ctx, command.define_unit(), response);
    case v1::Command::kDefinePaymentPlan:
      return entry.DefinePaymentPlan(ctx, command.define_payment_plan(), response);
    case v1::Command::kChangeListPrice:
      return entry.ChangeListPrice(ctx, command.change_list_price(), response);
    case v1::Command::kReviewSetup:
      return entry.ReviewSetup(ctx, command.review_setup(), response);
    case v1::Command::kConfirmSetup:
      return entry.ConfirmSetup(ctx, command.confirm_setup(), response);
    case v1::Command::kSetUnitHold:
      return entry.SetUnitHold(ctx, command.set_unit_hold(), response);
    case v1::Command::kRegisterCustomer:
      return entry.RegisterCustomer(ctx, command.register_customer(), response);
    case v1::Command::kLogVisit:
      return entry.LogVisit(ctx, command.log_visit(), response);
    case v1::Command::kReserveUnit:
      return entry.ReserveUnit(ctx, command.reserve_unit(), response);
    case v1::Command::kCancelReservation:
      return entry.CancelReservation(ctx, command.cancel_reservation(), response);
    case v1::Command::kCreateSubscription:
      return entry.CreateSubscription(ctx, command.create_subscription(), response);
    case v1::Command::kSignContract:
      return entry.SignContract(ctx, command.sign_contract(), response);
    case v1::Command::kRequestChange:
      return entry.RequestChange(ctx, command.request_change(), response);
    case v1::Command::kDecideChange:
      return entry.DecideChange(ctx, command.decide_change(), response);
    case v1::Command::kRecordPayment:
      return entry.RecordPayment(ctx, command.record_payment(), response);
    case v1::Command::kRefundPayment:
      return entry.RefundPayment(ctx, command.refund_payment(), response);
    case v1::Command::kTransferPayment:
      return entry.TransferPayment(ctx, command.transfer_payment(), response);
    case v1::Command::kApproveAudit:
      return entry.ApproveAudit(ctx, command.approve_audit(), response);
    case v1::Command::kRejectAudit:
      return entry.RejectAudit(ctx, command.reject_audit(), response);
    case v1::Command::kUnlockRecord:
      return entry.UnlockRecord(ctx, command.unlock_record(), response);
    case v1::Command::kRegisterInvoice:
      return entry.RegisterInvoice(ctx, command.register_invoice(), response);
    case v1::Command::kRecordServiceStep:
      return entry.RecordServiceStep(ctx, command.record_service_step(), response);
    case v1::Command::kSetSalesPlan:
      return entry.SetSalesPlan(ctx, command.set_sales_plan(), response);
    case v1::Command::kRecordPlanFeedback:
      return entry.RecordPlanFeedback(ctx, command.record_plan_feedback(), response);
    case v1::Command::kRecordMarketingSpend:
      return entry.RecordMarketingSpend(ctx, command.record_marketing_spend(), response);
    case v1::Command::kRecordCompetitor:
      return entry.RecordCompetitor(ctx, command.record_competitor(), response);
    case v1::Command::kRequestVoid:
      return entry.RequestVoid(ctx, command.request_void(), response);
    case v1::Command::kDecideVoid:
      return entry.DecideVoid(ctx, command.decide_void(), response);
    case v1::Command::kRunInspection:
      return entry.RunInspection(ctx, command.run_inspection(), response);
    case v1::Command::kWaiveViolation:
      return entry.WaiveViolation(ctx, command.waive_violation(), response);
    default:
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the line names no command");
  }
}

}  // namespace

int Import(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"quiet", "", "no progress bar", true}}));
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help() || flags.positional().size() != 1) {
    std::cerr << "usage: ledgerctl import [flags] FILE.jsonl\n"
                 "Sends each line's command to the server with the token of --token-file ('actor' and 'at' are\n"
                 "ignored). Refused lines are reported and the import goes on; the exit code is 1 if any was.\n"
                 "Re-running the same file after an interruption sends nothing twice.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  std::ifstream in(flags.positional()[0]);
  if (!in) return Fail(absl::NotFoundError(absl::StrCat("cannot read ", flags.positional()[0])));
  std::stringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  const std::string file_digest = ToHex(Sha256(text)).substr(0, 16);
  std::vector<std::string> lines;
  content.seekg(0);
  for (std::string line; std::getline(content, line);) lines.push_back(line);
  auto token = ReadToken(flags.Get("token-file"));
  if (!token.ok()) return Fail(token.status());
  auto channel = Connect(flags);
  auto admin = v1::AdminService::NewStub(channel);
  auto entry = v1::EntryService::NewStub(channel);
  ProgressBar bar("import");
  int accepted = 0, replayed = 0, refused = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find_first_not_of(" \t\r") == std::string::npos) continue;
    auto line = ParseScenarioLine(lines[i], absl::StrCat("import-", file_digest, "-", i + 1));
    grpc::Status status;
    v1::EntryResponse response;
    if (!line.ok()) {
      status = grpc::Status(static_cast<grpc::StatusCode>(line.status().code()), std::string(line.status().message()));
    } else {
      for (int attempt = 0;; ++attempt) {
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", "Bearer " + *token);
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        status = Send(*admin, *entry, &ctx, line->command, &response);
        // UNAVAILABLE: retry with the same request_id, as SPEC.md §4 says.
        if (status.error_code() != grpc::StatusCode::UNAVAILABLE || attempt == 5) break;
        absl::SleepFor(absl::Seconds(1 << attempt));
      }
    }
    if (status.ok()) {
      ++(response.replayed() ? replayed : accepted);
    } else {
      ++refused;
      std::cerr << "\nline " << i + 1 << ": " << status.error_message() << " ["
                << absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())) << "]\n";
    }
    if (!flags.GetBool("quiet")) bar(i + 1, lines.size());
  }
  std::cout << accepted << " accepted, " << replayed << " already there, " << refused << " refused" << std::endl;
  return refused == 0 ? 0 : 1;
}

}  // namespace salesledger::ctl

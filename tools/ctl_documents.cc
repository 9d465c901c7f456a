// ledgerctl's paper (SPEC.md §3.11, §7): printing documents from the ledger, verifying a printed
// one against it, and the pictures of the 销控表 and of timeliness.
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/files.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "documents/canvas.h"
#include "documents/document_check.h"
#include "documents/document_lines.h"
#include "documents/page_reader.h"
#include "documents/qr_payload.h"
#include "documents/timeliness_chart.h"
#include "documents/unit_chart.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "salesledger/v1/documents.grpc.pb.h"
#include "salesledger/v1/query.grpc.pb.h"
#include "services/grpc_status.h"
#include "tools/ctl_support.h"
#include "tools/ctl_verbs.h"
#include "transparency/checkpoint.h"
#include "transparency/merkle.h"
#include "transparency/witness.h"

namespace salesledger::ctl {
namespace {

absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

int Print(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"project", "", "the project"},
                              {"payment", "", "receipt: the payment"},
                              {"refund", "", "refund: the refund"},
                              {"subscription", "", "subscription: the subscription"},
                              {"out", "", "the PDF to write"},
                              {"request-id", "", "the print's request_id (default: a new one, so a new print)"}}));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::string what = flags.positional().empty() ? "" : flags.positional()[0];
  const std::map<std::string, std::pair<v1::DocumentKind, std::string>> kinds = {
      {"receipt", {v1::DocumentKind::RECEIPT, "payment"}},
      {"refund", {v1::DocumentKind::REFUND_RECEIPT, "refund"}},
      {"subscription", {v1::DocumentKind::SUBSCRIPTION, "subscription"}}};
  auto kind = kinds.find(what);
  if (!parsed.ok() || flags.help() || flags.positional().size() != 1 || kind == kinds.end() ||
      flags.Get("out").empty() || flags.Get(kind->second.second).empty()) {
    std::cerr << "usage: ledgerctl print receipt --project P --payment PAY --out FILE.pdf [flags]\n"
                 "       ledgerctl print refund --project P --refund R --out FILE.pdf\n"
                 "       ledgerctl print subscription --project P --subscription S --out FILE.pdf\n"
                 "Prints the 收据 (cashiers), the 退款收据 (cashiers) or the 认购书 (customer service) from the\n"
                 "ledger, as an entry: the first print is the original, each later one a numbered copy (补打).\n"
                 "The page carries a QR code that 'ledgerctl verify-document' checks.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  v1::PrintDocumentRequest request;
  request.set_project_id(flags.Get("project"));
  request.set_kind(kind->second.first);
  request.set_document_id(flags.Get(kind->second.second));
  request.set_request_id(flags.Get("request-id").empty()
                             ? absl::StrCat("print-", what, "-", request.document_id(), "-", absl::ToUnixNanos(absl::Now()))
                             : flags.Get("request-id"));
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  v1::PrintedDocumentResponse response;
  if (grpc::Status s = v1::DocumentService::NewStub(Connect(flags))->PrintDocument(ctx->get(), request, &response);
      !s.ok()) {
    return Fail(s);
  }
  if (absl::Status s = WriteFile(flags.Get("out"), response.pdf()); !s.ok()) return Fail(s);
  std::cout << "printed " << response.document_no() << (response.copy() == 1 ? " (the original)" : absl::StrCat(
                                                                                  " (补打 副本 ", response.copy(), ")"))
            << " to " << flags.Get("out") << "; the print is entry " << response.entry().seq()
            << (response.entry().replayed() ? " (earlier)" : "") << std::endl;
  return 0;
}

namespace {

// The entry `seq` proved in the tree of `checkpoint`: its stored bytes, checked against its leaf
// hash and the inclusion proof (RFC 9162 §2.1.3.2).
absl::StatusOr<std::string> ProvedEntry(const CliFlags& flags, v1::AuditService::Stub& audit, uint64_t seq,
                                        const TreeCheckpoint& checkpoint) {
  ASSIGN_OR_RETURN(auto ctx, Authorized(flags));
  v1::GetInclusionProofRequest request;
  request.set_seq(seq);
  request.set_tree_size(checkpoint.size);
  v1::GetInclusionProofResponse proof;
  RETURN_IF_ERROR(FromGrpc(audit.GetInclusionProof(ctx.get(), request, &proof)));
  if (merkle::LeafHash(proof.raw()) != proof.leaf_hash()) {
    return absl::DataLossError(absl::StrCat("the server's bytes of entry ", seq, " are not the leaf it proves"));
  }
  if (absl::Status s = merkle::VerifyInclusion(seq - 1, checkpoint.size, proof.leaf_hash(),
                                               {proof.proof().begin(), proof.proof().end()}, checkpoint.root);
      !s.ok()) {
    return absl::DataLossError(absl::StrCat("entry ", seq, " is not in the log's tree of size ", checkpoint.size, ": ",
                                            s.message()));
  }
  return proof.raw();
}

// Two checkpoints of the log, consistent one way or the other: the same tree, one a prefix of the
// other. `a_name` and `b_name` say which they are in the refusal.
absl::Status Consistent(const CliFlags& flags, v1::AuditService::Stub& audit, const TreeCheckpoint& a,
                        absl::string_view a_name, const TreeCheckpoint& b, absl::string_view b_name) {
  const TreeCheckpoint& small = a.size <= b.size ? a : b;
  const TreeCheckpoint& large = a.size <= b.size ? b : a;
  std::vector<std::string> proof;
  if (small.size != large.size) {
    ASSIGN_OR_RETURN(auto ctx, Authorized(flags));
    v1::GetConsistencyProofRequest request;
    request.set_old_size(small.size);
    request.set_new_size(large.size);
    v1::GetConsistencyProofResponse response;
    RETURN_IF_ERROR(FromGrpc(audit.GetConsistencyProof(ctx.get(), request, &response)));
    proof.assign(response.proof().begin(), response.proof().end());
  }
  if (absl::Status s = merkle::VerifyConsistency(small.size, large.size, proof, small.root, large.root); !s.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(a_name, " (tree size ", a.size, ") is not consistent with ",
                                                      b_name, " (size ", b.size, "): ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

int VerifyDocument(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"qr", "", "the QR code's text instead of a PDF (as a phone scans it)"},
                              {"key", "", "the log's verifier key you trust, or a file holding it"},
                              {"state", "", "or: a witness's state file (its key, and its accepted checkpoint)"}}));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  if (!parsed.ok() || flags.help() || flags.positional().size() != (flags.Get("qr").empty() ? 1u : 0u) ||
      flags.Get("key").empty() == flags.Get("state").empty()) {
    std::cerr << "usage: ledgerctl verify-document FILE.pdf (--key VERIFIER | --state WITNESS) [flags]\n"
                 "       ledgerctl verify-document --qr TEXT (--key VERIFIER | --state WITNESS) [flags]\n"
                 "Reads the page's QR code, checks its checkpoint against the key you trust (and, with a\n"
                 "witness's state, its consistency with the checkpoint the witness accepted), proves the entry\n"
                 "and the print in the log's tree, then compares the page's number, amount, parties and copy\n"
                 "with the ledger's. Says OK, or each thing that differs; exits 1 then.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  // The page: its text, and the one QR code on it.
  std::string qr_text = flags.Get("qr"), page_text;
  if (qr_text.empty()) {
    absl::StatusOr<std::string> pdf = ReadWholeFile(flags.positional()[0]);
    if (!pdf.ok()) return Fail(pdf.status());
    absl::StatusOr<PageContents> page = ReadPdf(*pdf);
    if (!page.ok()) return Fail(page.status());
    if (page->qr_codes.size() != 1) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(flags.positional()[0], " has ", page->qr_codes.size(),
                                                          " QR codes; a printed document has one")));
    }
    qr_text = page->qr_codes[0];
    page_text = page->text;
  }
  absl::StatusOr<QrPayload> qr = ParseQrPayload(qr_text);
  if (!qr.ok()) return Fail(qr.status());
  // The key trusted, and the page's checkpoint signed by it.
  WitnessState witness;
  if (!flags.Get("state").empty()) {
    absl::StatusOr<std::string> text = ReadWholeFile(flags.Get("state"));
    if (!text.ok()) return Fail(text.status());
    absl::StatusOr<WitnessState> state = ParseWitnessState(*text);
    if (!state.ok()) return Fail(state.status());
    witness = *std::move(state);
  } else {
    absl::StatusOr<note::Verifier> key = VerifierArg("key", flags.Get("key"));
    if (!key.ok()) return Fail(key.status());
    witness.log_key = *key;
  }
  absl::StatusOr<TreeCheckpoint> checkpoint = OpenCheckpoint(qr->checkpoint, witness.log_key);
  if (!checkpoint.ok()) {
    return Fail(absl::FailedPreconditionError(absl::StrCat("the page's checkpoint is refused: ",
                                                           checkpoint.status().message())));
  }
  auto audit = v1::AuditService::NewStub(Connect(flags));
  if (!witness.checkpoint.empty()) {
    absl::StatusOr<TreeCheckpoint> accepted = OpenCheckpoint(witness.checkpoint, witness.log_key);
    if (!accepted.ok()) return Fail(accepted.status());
    if (absl::Status s = Consistent(flags, *audit, *checkpoint, "the page's checkpoint", *accepted,
                                    "the one the witness accepted");
        !s.ok()) {
      return Fail(s);
    }
  }
  // The entry, proved against the page's own checkpoint; the page names its leaf.
  absl::StatusOr<std::string> entry_raw = ProvedEntry(flags, *audit, qr->entry_seq, *checkpoint);
  if (!entry_raw.ok()) return Fail(entry_raw.status());
  if (merkle::LeafHash(*entry_raw) != qr->entry_leaf) {
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "the page's QR code names leaf ", absl::Base64Escape(qr->entry_leaf), " for entry ", qr->entry_seq,
        "; the log's entry ", qr->entry_seq, " has leaf ", absl::Base64Escape(merkle::LeafHash(*entry_raw)))));
  }
  // The print, proved against the latest checkpoint (the page's may predate it).
  absl::StatusOr<TreeCheckpoint> latest;
  for (int attempt = 0; attempt < 30; ++attempt) {
    absl::StatusOr<v1::GetCheckpointResponse> response = FetchCheckpoint(flags, *audit, 0);
    if (!response.ok()) return Fail(response.status());
    latest = OpenCheckpoint(response->checkpoint(), witness.log_key);
    if (!latest.ok()) return Fail(absl::FailedPreconditionError(absl::StrCat("the log's latest checkpoint is refused: ",
                                                                             latest.status().message())));
    if (latest->size >= qr->print_seq) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a print made this second
  }
  // The same log as the page's: otherwise the print could come from a fork of it.
  if (absl::Status s = Consistent(flags, *audit, *checkpoint, "the page's checkpoint", *latest,
                                  "the log's latest checkpoint");
      !s.ok()) {
    return Fail(s);
  }
  absl::StatusOr<std::string> print_raw = ProvedEntry(flags, *audit, qr->print_seq, *latest);
  if (!print_raw.ok()) return Fail(print_raw.status());
  v1::Event entry, print;
  if (!entry.ParseFromString(*entry_raw) || !print.ParseFromString(*print_raw) || !print.has_print_document()) {
    return Fail(absl::FailedPreconditionError(absl::StrCat("entry ", qr->print_seq, " is not a print of a document")));
  }
  std::vector<std::string> differences = CompareWithEntry(print, entry);
  const DocumentText expected = DocumentTextOf(print);
  if (!page_text.empty()) {
    for (std::string& d : CompareWithPage(expected, page_text)) differences.push_back(std::move(d));
  }
  if (!differences.empty()) {
    for (const std::string& d : differences) std::cout << "DIFFERS: " << d << "\n";
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        differences.size(), " thing(s) on this page differ from the ledger's ", expected.number_label, " ",
        expected.number, " (entry ", qr->entry_seq, ", print ", qr->print_seq, ")")));
  }
  std::cout << "OK: " << expected.number_label << " " << expected.number << " is entry " << qr->entry_seq << " of "
            << checkpoint->origin << ", in its tree of size " << checkpoint->size << "; printed as entry "
            << qr->print_seq << " (" << expected.copy << ")"
            << (page_text.empty() ? "" : "; the page says what the ledger says") << "\n";
  for (const DocumentLine& line : expected.lines) std::cout << "  " << line.Text() << "\n";
  return 0;
}

namespace {

int UnitsReport(const CliFlags& flags) {
  auto stub = v1::QueryService::NewStub(Connect(flags));
  UnitChartInput input;
  v1::ListUnitsRequest request;
  request.set_project_id(flags.Get("project"));
  request.set_page_size(1000);
  do {
    auto ctx = Authorized(flags);
    if (!ctx.ok()) return Fail(ctx.status());
    v1::ListUnitsResponse page;
    if (grpc::Status s = stub->ListUnits(ctx->get(), request, &page); !s.ok()) return Fail(s);
    for (const auto& u : page.units()) input.units.push_back(u);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  input.project_name = flags.Get("project");
  input.as_of = absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone());
  absl::StatusOr<CanvasFormat> format = CanvasFormatOf(flags.Get("out"));
  if (!format.ok()) return Fail(format.status());
  absl::StatusOr<std::string> picture = DrawUnitChart(input, *format);
  if (!picture.ok()) return Fail(picture.status());
  if (absl::Status s = WriteFile(flags.Get("out"), *picture); !s.ok()) return Fail(s);
  std::cout << "drew " << input.units.size() << " units to " << flags.Get("out") << std::endl;
  return 0;
}

// Adds the unwaived fines of the project's month to `fen_by_person`, of `person` or of everyone the
// caller may read; false when the caller may not read that person's.
absl::StatusOr<bool> AddFines(v1::QueryService::Stub& query, const CliFlags& flags, const std::string& person,
                              std::map<std::string, int64_t>& fen_by_person) {
  v1::ListViolationsRequest request;
  request.set_project_id(flags.Get("project"));
  request.set_person_id(person);
  request.set_period(flags.Get("month"));
  request.set_page_size(1000);
  do {
    ASSIGN_OR_RETURN(auto ctx, Authorized(flags));
    v1::ListViolationsResponse page;
    grpc::Status s = query.ListViolations(ctx.get(), request, &page);
    if (s.error_code() == grpc::StatusCode::PERMISSION_DENIED) return false;
    if (!s.ok()) return FromGrpc(s);
    for (const auto& v : page.violations()) {
      if (!v.waived() && v.excused_by_outage().empty()) fen_by_person[v.subject_id()] += v.amount_fen();
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return true;
}

int TimelinessReport(const CliFlags& flags) {
  auto query = v1::QueryService::NewStub(Connect(flags));
  TimelinessChartInput input;
  input.project_name = flags.Get("project");
  input.period = flags.Get("month");
  {
    auto ctx = Authorized(flags);
    if (!ctx.ok()) return Fail(ctx.status());
    v1::TimelinessRequest request;
    request.set_project_id(flags.Get("project"));
    request.set_period(flags.Get("month"));
    v1::TimelinessResponse response;
    if (grpc::Status s = query->GetTimeliness(ctx->get(), request, &response); !s.ok()) return Fail(s);
    input.rows.assign(response.rows().begin(), response.rows().end());
  }
  // The month's fines of the project, as far as the caller may read them (pay is private, SPEC
  // §5): first every fine the caller reads, then each person with entries but none found, whose
  // cell stays empty rather than zero when their fines are not the caller's to read.
  absl::StatusOr<bool> all = AddFines(*query, flags, "", input.penalty_fen);
  if (!all.ok()) return Fail(all.status());
  for (const v1::TimelinessRow& r : input.rows) {
    if (input.penalty_fen.contains(r.person_id())) continue;
    absl::StatusOr<bool> readable = AddFines(*query, flags, r.person_id(), input.penalty_fen);
    if (!readable.ok()) return Fail(readable.status());
    if (*readable) input.penalty_fen.try_emplace(r.person_id(), 0);
  }
  absl::StatusOr<CanvasFormat> format = CanvasFormatOf(flags.Get("out"));
  if (!format.ok()) return Fail(format.status());
  absl::StatusOr<std::string> picture = DrawTimelinessChart(input, *format);
  if (!picture.ok()) return Fail(picture.status());
  if (absl::Status s = WriteFile(flags.Get("out"), *picture); !s.ok()) return Fail(s);
  std::cout << "drew " << input.rows.size() << " rows to " << flags.Get("out") << std::endl;
  return 0;
}

}  // namespace

int Report(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"project", "", "the project"},
                              {"month", "", "timeliness: YYYY-MM"},
                              {"out", "", "FILE.pdf, FILE.svg or FILE.png"}}));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::string what = flags.positional().empty() ? "" : flags.positional()[0];
  if (!parsed.ok() || flags.help() || flags.positional().size() != 1 || flags.Get("project").empty() ||
      flags.Get("out").empty() || (what != "units" && what != "timeliness") ||
      (what == "timeliness" && flags.Get("month").empty())) {
    std::cerr << "usage: ledgerctl report units --project P --out FILE.pdf|.svg|.png [flags]\n"
                 "       ledgerctl report timeliness --project P --month YYYY-MM --out FILE [flags]\n"
                 "units: the 销控表, each building's floors by rooms, coloured by status, with the counts.\n"
                 "timeliness: each person's on-time share per entry kind, as bars, with the month's penalties.\n\n"
                 "flags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  return what == "units" ? UnitsReport(flags) : TimelinessReport(flags);
}

}  // namespace salesledger::ctl

// Proofs end to end, against a real ledgerd: a 10,000-event ledger proved entry by entry at every
// signed size by this C++ client and by tests/e2e/verify_proofs.py, which also refuses forgeries;
// and the operator's rewrite, which `ledgerctl verify` cannot see and the witness does.
#include <signal.h>

#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "ledger/record_format.h"
#include "services/log_key.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/raw_ledger.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "transparency/checkpoint.h"
#include "transparency/merkle.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::IsOk;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Ago(absl::Duration d) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S+08:00", absl::Now() - d, absl::FixedTimeZone(8 * 3600));
}

class TransparencyE2eTest : public ::testing::Test {
 protected:
  std::string Data() const { return dir_.Sub("data"); }
  std::string File(const std::string& name, const std::string& text) {
    std::ofstream(dir_.Sub(name)) << text;
    return dir_.Sub(name);
  }
  int Ctl(const testing::LedgerdProcess& ledgerd, const std::string& args, std::string* out,
          const std::string& token_file = "") {
    return testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " ", args, " --server ", ledgerd.address(), " --token-file ",
                                            token_file.empty() ? Data() + "/admin.token" : token_file),
                               out);
  }
  // Waits until the latest signed checkpoint covers the head.
  uint64_t WaitForCheckpointAtHead(const testing::LedgerdProcess& ledgerd) {
    auto audit = v1::AuditService::NewStub(ledgerd.Channel());
    for (int i = 0; i < 100; ++i) {
      grpc::ClientContext head_ctx, ctx;
      testing::Authorize(head_ctx, ledgerd.AdminToken());
      testing::Authorize(ctx, ledgerd.AdminToken());
      v1::GetHeadResponse head;
      v1::GetCheckpointResponse checkpoint;
      EXPECT_TRUE(audit->GetHead(&head_ctx, v1::GetHeadRequest(), &head).ok());
      EXPECT_TRUE(audit->GetCheckpoint(&ctx, v1::GetCheckpointRequest(), &checkpoint).ok());
      if (checkpoint.tree_size() == head.seq()) return head.seq();
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "no checkpoint of the head within 10 s";
    return 0;
  }

  testing::TempDir dir_;
};

// Appends `count` events to the stopped ledger in four threads, then starts ledgerd on it, which
// signs a checkpoint of the tree at open; returns the process.
std::unique_ptr<testing::LedgerdProcess> GrowAndStart(const std::string& data, const std::string& acks, int stage,
                                                      int count) {
  std::string out;
  EXPECT_EQ(testing::RunCommand(absl::StrCat(TEST_APPENDER_PATH, " ", data, "/ledger ", acks, " s", stage, " 4 ",
                                             count / 4),
                                &out),
            0)
      << out;
  return std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, data);
}

TEST_F(TransparencyE2eTest, TenThousandEventsAreProvedByBothCheckersAndForgeriesRefused) {
  std::vector<uint64_t> signed_sizes = {1};
  { testing::LedgerdProcess first(LEDGERD_PATH, Data()); first.Stop(SIGTERM); }
  std::unique_ptr<testing::LedgerdProcess> ledgerd;
  for (int stage = 1; stage <= 4; ++stage) {
    if (ledgerd) ledgerd->Stop(SIGTERM);
    ledgerd = GrowAndStart(Data(), dir_.Sub("acks"), stage, 2500);
    // Signed at each start over what is there, before that start's server_started event lands.
    signed_sizes.push_back(1 + 2501 * stage);
  }
  // The last start's event is signed in the background: wait for it, so that the latest is known.
  ASSERT_EQ(WaitForCheckpointAtHead(*ledgerd), 10006u);
  auto key = ReadLogKey(Data());
  ASSERT_THAT(key.status(), IsOk());
  auto audit = v1::AuditService::NewStub(ledgerd->Channel());
  const std::string token = ledgerd->AdminToken();

  // The leaves, from the events' stored bytes.
  std::vector<std::string> leaves;
  {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token);
    v1::ReadEventsRequest request;
    request.set_include_raw(true);
    auto reader = audit->ReadEvents(&ctx, request);
    v1::ReadEventsResponse e;
    while (reader->Read(&e)) leaves.push_back(merkle::LeafHash(e.raw()));
    ASSERT_TRUE(reader->Finish().ok());
  }
  ASSERT_EQ(leaves.size(), 10006u);  // the genesis, 10,000 entries and five starts

  // Every entry at every signed size: the checkpoint's signature, its root against the leaves,
  // and the inclusion proof, step by step.
  std::map<uint64_t, std::string> roots;
  for (uint64_t size : signed_sizes) {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token);
    v1::GetCheckpointRequest request;
    request.set_tree_size(size);
    v1::GetCheckpointResponse response;
    ASSERT_TRUE(audit->GetCheckpoint(&ctx, request, &response).ok()) << size;
    EXPECT_EQ(response.log_key(), key->verifier().ToString());
    auto opened = OpenCheckpoint(response.checkpoint(), key->verifier());
    ASSERT_THAT(opened.status(), IsOk());
    ASSERT_EQ(opened->size, size);
    merkle::CompactRange range;
    for (uint64_t i = 0; i < size; ++i) range.Append(leaves[i]);
    ASSERT_EQ(opened->root, range.Root()) << "the signed root of size " << size << " is not the leaves'";
    roots[size] = opened->root;
    for (uint64_t seq = 1; seq <= size; ++seq) {
      grpc::ClientContext pctx;
      testing::Authorize(pctx, token);
      v1::GetInclusionProofRequest preq;
      preq.set_seq(seq);
      preq.set_tree_size(size);
      v1::GetInclusionProofResponse proof;
      ASSERT_TRUE(audit->GetInclusionProof(&pctx, preq, &proof).ok()) << seq << "@" << size;
      ASSERT_EQ(proof.leaf_hash(), leaves[seq - 1]);
      ASSERT_EQ(merkle::LeafHash(proof.raw()), leaves[seq - 1]);
      ASSERT_THAT(merkle::VerifyInclusion(seq - 1, size, proof.leaf_hash(),
                                          {proof.proof().begin(), proof.proof().end()}, opened->root),
                  IsOk())
          << seq << "@" << size;
    }
  }
  // Consistency proofs of random size pairs, against roots computed from the leaves.
  std::mt19937_64 rng(15);
  for (int i = 0; i < 300; ++i) {
    uint64_t a = std::uniform_int_distribution<uint64_t>(1, 10006)(rng);
    uint64_t b = std::uniform_int_distribution<uint64_t>(1, 10006)(rng);
    if (a > b) std::swap(a, b);
    merkle::CompactRange range;
    std::string old_root;
    for (uint64_t k = 0; k < b; ++k) {
      range.Append(leaves[k]);
      if (k + 1 == a) old_root = range.Root();
    }
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token);
    v1::GetConsistencyProofRequest request;
    request.set_old_size(a);
    request.set_new_size(b);
    v1::GetConsistencyProofResponse response;
    ASSERT_TRUE(audit->GetConsistencyProof(&ctx, request, &response).ok()) << a << " " << b;
    ASSERT_THAT(merkle::VerifyConsistency(a, b, {response.proof().begin(), response.proof().end()}, old_root,
                                          range.Root()),
                IsOk())
        << a << " -> " << b;
  }

  // The Python checker, from the gRPC answers alone; with the log's private key it also makes
  // the forgeries that need it (a checkpoint for another origin signed by this log's key).
  std::string sizes;
  for (uint64_t s : signed_sizes) absl::StrAppend(&sizes, sizes.empty() ? "" : ",", s);
  std::string out;
  ASSERT_EQ(testing::RunCommand(absl::StrCat("/usr/bin/python3 ", VERIFY_PROOFS_PY, " ", ledgerd->address(), " ",
                                             Data(), "/admin.token '", key->verifier().ToString(), "' --sizes ", sizes,
                                             " --sample 0 --pairs 200 --forge --log-private-key ", Data(), "/log.key"),
                                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("checkpoints verified: 6 (sizes 1,2502,5003,7504,10005,10006)"));
  for (uint64_t size : signed_sizes) {
    EXPECT_THAT(out, HasSubstr(absl::StrCat("inclusion proofs verified: ", size, " at size ", size, "\n")));
  }
  EXPECT_THAT(out, HasSubstr("consistency proofs verified: 200"));
  EXPECT_THAT(out, HasSubstr("forgeries refused: "));
  EXPECT_THAT(out, Not(HasSubstr("ACCEPTED")));

  // And a key other than the log's: the Python checker refuses the real checkpoint.
  const note::Signer stranger = *note::NewSigner(key->name, note::kEd25519);
  EXPECT_EQ(testing::RunCommand(absl::StrCat("/usr/bin/python3 ", VERIFY_PROOFS_PY, " ", ledgerd->address(), " ", Data(),
                                             "/admin.token '", stranger.verifier().ToString(), "'"),
                                &out),
            1)
      << out;
  EXPECT_THAT(out, HasSubstr("checkpoint refused: not signed by"));
  audit.reset();
  EXPECT_EQ(ledgerd->Stop(SIGTERM), 0);
}

TEST_F(TransparencyE2eTest, TheLogKeyIsMadeAtTheFirstStartAndItsNameNeverChanges) {
  std::string out;
  {
    testing::LedgerdProcess ledgerd(LEDGERD_PATH, Data(), {"--log-name", "sales.example/bjf"});
    ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " checkpoint key --data-dir ", Data()), &out), 0) << out;
    const std::string key(absl::StripTrailingAsciiWhitespace(out));
    EXPECT_THAT(key, ::testing::StartsWith("sales.example/bjf+"));
    EXPECT_THAT(ReadFile(ledgerd.output_path()),
                HasSubstr(absl::StrCat("made the log's signing key ", Data(), "/log.key; its verifier key (for witnesses): ",
                                       key)));
    ASSERT_EQ(Ctl(ledgerd, "checkpoint key", &out), 0) << out;  // the server says the same
    EXPECT_EQ(absl::StripTrailingAsciiWhitespace(out), key);
    ASSERT_EQ(Ctl(ledgerd, "checkpoint show", &out), 0) << out;
    EXPECT_THAT(out, ::testing::StartsWith("sales.example/bjf\n1\n"));  // the genesis, signed at the first start
    EXPECT_EQ(ledgerd.Stop(SIGTERM), 0);
  }
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERD_PATH, " --listen 127.0.0.1:0 --data-dir ", Data(),
                                             " --log-name sales.example/other"),
                                &out),
            1);
  EXPECT_THAT(out, HasSubstr("this log is named 'sales.example/bjf'"));
  EXPECT_THAT(out, HasSubstr("[FAILED_PRECONDITION]"));
}

// Every proof request that cannot be answered gets its code and says why; only the history's
// readers may ask.
TEST_F(TransparencyE2eTest, ProofRequestsThatCannotBeAnsweredSayWhy) {
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, Data());
  const uint64_t head = WaitForCheckpointAtHead(ledgerd);
  ASSERT_EQ(head, 2u);  // the genesis and the start
  auto audit = v1::AuditService::NewStub(ledgerd.Channel());
  auto call = [&](auto method, auto request, auto response) {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, ledgerd.AdminToken());
    return (audit.get()->*method)(&ctx, request, &response);
  };
  v1::GetInclusionProofRequest inclusion;
  inclusion.set_seq(0);
  grpc::Status s = call(&v1::AuditService::Stub::GetInclusionProof, inclusion, v1::GetInclusionProofResponse());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("field 'seq' must be 1 or more"));
  inclusion.set_seq(3);
  s = call(&v1::AuditService::Stub::GetInclusionProof, inclusion, v1::GetInclusionProofResponse());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("seq 3 is not in the latest signed checkpoint (tree size 2) yet"));
  inclusion.set_tree_size(5);
  s = call(&v1::AuditService::Stub::GetInclusionProof, inclusion, v1::GetInclusionProofResponse());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("tree size 5 is past the head: the tree has 2 leaves"));
  v1::GetConsistencyProofRequest consistency;
  consistency.set_old_size(3);
  consistency.set_new_size(2);
  s = call(&v1::AuditService::Stub::GetConsistencyProof, consistency, v1::GetConsistencyProofResponse());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("field 'old_size' is 3: more than new_size 2"));
  v1::GetCheckpointRequest checkpoint;
  checkpoint.set_tree_size(7);
  s = call(&v1::AuditService::Stub::GetCheckpoint, checkpoint, v1::GetCheckpointResponse());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("no checkpoint was signed at tree size 7; the latest is size 2"));

  std::string out;
  ASSERT_EQ(Ctl(ledgerd, "import --quiet " + File("cashier.jsonl", absl::StrCat(
      R"({"cmd":"define_project","args":{"project_id":"BJF","name":"滨江府"}})", "\n",
      R"({"cmd":"add_person","args":{"person_id":"sy01","name":"苏","roles":["CASHIER"],"project_ids":["BJF"]}})", "\n")),
                &out), 0) << out;
  ASSERT_EQ(Ctl(ledgerd, "token issue --person sy01 --token-id t-sy01", &out), 0) << out;
  std::ofstream(dir_.Sub("sy01.token")) << out;
  EXPECT_EQ(Ctl(ledgerd, "checkpoint show", &out, dir_.Sub("sy01.token")), 1);
  EXPECT_THAT(out, HasSubstr("sy01 may not read the log's checkpoints: it needs role FINANCE_LEAD or AUDITOR or ADMIN"));
  EXPECT_THAT(out, HasSubstr("[PERMISSION_DENIED]"));
  audit.reset();  // a channel left open holds a stopping server for its drain time
  EXPECT_EQ(ledgerd.Stop(SIGTERM), 0);
}

// The issue's acceptance: the witness accepts size N; with ledgerd stopped, whoever holds the data
// dir moves a payment's recorded_at back so the cashier is never fined, recomputes the chain, lets
// ledgerd build the tree again and sign it with log.key. `verify` passes; the witness does not.
class OperatorRewriteTest : public TransparencyE2eTest {
 protected:
  void SetUp() override {
    ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, Data());
    std::string out;
    ASSERT_EQ(Ctl(*ledgerd_, "import --quiet " + File("setup.jsonl", absl::StrCat(
        R"({"cmd":"define_project","args":{"project_id":"BJF","name":"滨江府"}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"cw01","name":"陈","roles":["FINANCE_LEAD"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"sy01","name":"苏","roles":["CASHIER"],"supervisor_id":"cw01","project_ids":["BJF"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"gw01","name":"顾","roles":["CONSULTANT"],"project_ids":["BJF"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"sj01","name":"审计","roles":["AUDITOR"]}})", "\n")), &out), 0) << out;
    for (const char* person : {"sy01", "gw01", "sj01"}) {
      ASSERT_EQ(Ctl(*ledgerd_, absl::StrCat("token issue --person ", person, " --token-id t-", person), &out), 0) << out;
      std::ofstream(Token(person)) << out;
    }
    ASSERT_EQ(Ctl(*ledgerd_, "import --quiet " + File("customer.jsonl",
        R"({"cmd":"register_customer","args":{"project_id":"BJF","customer_id":"C1","name":"王","phone":"13800000001","consultant_id":"gw01","source":"VISIT"}})" "\n"),
                  &out, Token("gw01")), 0) << out;
    // The cashier types the earnest money in 70 minutes after taking it: fined.
    ASSERT_EQ(Ctl(*ledgerd_, "import --quiet " + File("payment.jsonl", absl::StrCat(
        R"({"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P1","customer_id":"C1","kind":"EARNEST","amount_fen":500000,"method":"CASH","occurred_at":")", Ago(absl::Minutes(70)), R"("}})", "\n")),
                  &out, Token("sy01")), 0) << out;
    payment_seq_ = LatestSeq();
    ASSERT_EQ(Late(), 1);
    accepted_size_ = WaitForCheckpointAtHead(*ledgerd_);
    ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " checkpoint key --data-dir ", Data(), " > ",
                                               dir_.Sub("log.vkey")), &out), 0) << out;
  }

  std::string Token(const std::string& person) const { return dir_.Sub(person + ".token"); }
  uint64_t LatestSeq() {
    auto audit = v1::AuditService::NewStub(ledgerd_->Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, ledgerd_->AdminToken());
    v1::GetHeadResponse head;
    EXPECT_TRUE(audit->GetHead(&ctx, v1::GetHeadRequest(), &head).ok());
    return head.seq();
  }
  // How many late entries the auditor's report shows this month.
  int Late() {
    absl::TimeZone shanghai;
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
    std::string out;
    EXPECT_EQ(Ctl(*ledgerd_, "backdated --min-lag 30m --json --month " + absl::FormatTime("%Y-%m", absl::Now(), shanghai),
                  &out),
              0)
        << out;
    const std::string lines(absl::StripTrailingAsciiWhitespace(out));
    return lines.empty() ? 0 : static_cast<int>(std::count(lines.begin(), lines.end(), '\n') + 1);
  }
  int Witness(const std::string& extra, std::string* out) {
    return Ctl(*ledgerd_, absl::StrCat("witness --state ", dir_.Sub("witness.state"), " ", extra), out, Token("sj01"));
  }
  // Stops ledgerd, rewrites the payment and the chain after it, drops the tree and the signed
  // checkpoints, rebuilds the tree and the projections as ledgerctl does, and starts ledgerd
  // again, which signs the new tree with log.key: every trace the data dir keeps is consistent.
  void RewriteThePayment() {
    ASSERT_EQ(ledgerd_->Stop(SIGTERM), 0);
    {
      testing::RawLedger raw(Data() + "/ledger");
      std::optional<std::string> stored = raw.GetEvent(payment_seq_);
      ASSERT_TRUE(stored.has_value());
      const auto value = record_format::DecodeEventValue(*stored);
      v1::Event payment;
      ASSERT_TRUE(payment.ParseFromArray(value->event_bytes.data(), value->event_bytes.size()));
      payment.mutable_recorded_at()->set_seconds(payment.occurred_at().seconds() + 10 * 60);
      raw.Rewrite(payment_seq_, payment);
      raw.DropTree();
    }
    std::string out;
    ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " rebuild --data-dir ", Data()), &out), 0) << out;
    ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, Data());
  }

  std::unique_ptr<testing::LedgerdProcess> ledgerd_;
  uint64_t payment_seq_ = 0, accepted_size_ = 0;
};

TEST_F(OperatorRewriteTest, VerifyPassesAndTheWitnessNamesTheInconsistency) {
  std::string out;
  ASSERT_EQ(Witness(absl::StrCat("--log-key ", dir_.Sub("log.vkey")), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("at tree size ", accepted_size_, ", root ")));
  EXPECT_THAT(out, HasSubstr("(first checkpoint)"));
  // A proof of the payment, checked offline against the accepted checkpoint's key.
  ASSERT_EQ(Ctl(*ledgerd_, absl::StrCat("prove ", payment_seq_, " > ", dir_.Sub("payment.proof")), &out), 0) << out;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " check-proof ", dir_.Sub("payment.proof"), " --key ",
                                             dir_.Sub("log.vkey")), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("OK: seq ", payment_seq_)));
  EXPECT_THAT(out, HasSubstr("record_payment by sy01"));

  RewriteThePayment();
  EXPECT_EQ(Late(), 0);  // the rewrite did what it was for: the cashier is no longer late
  // One more entry, so that the log's newest tree is larger than the one the witness accepted.
  ASSERT_EQ(Ctl(*ledgerd_, "import --quiet " + File("visit.jsonl", absl::StrCat(
      R"({"cmd":"log_visit","args":{"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":")", Ago(absl::Minutes(1)), R"("}})", "\n")),
                &out, Token("gw01")), 0) << out;
  const uint64_t now_size = WaitForCheckpointAtHead(*ledgerd_);
  ASSERT_GT(now_size, accepted_size_);

  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " verify --data-dir ", Data()), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("chain: OK"));
  EXPECT_THAT(out, HasSubstr(absl::StrCat("tree: OK, ", now_size, " leaves")));
  EXPECT_EQ(Witness("", &out), 1) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("the log's tree of size ", now_size,
                                          " is not consistent with the checkpoint accepted at ")));
  EXPECT_THAT(out, HasSubstr(absl::StrCat("(tree size ", accepted_size_, ", root ")));
  EXPECT_THAT(out, HasSubstr(absl::StrCat("The entries up to size ", accepted_size_, " were changed")));
  EXPECT_THAT(out, HasSubstr("[FAILED_PRECONDITION]"));
  // The old proof of the payment no longer matches anything the log signs now: its checkpoint
  // still verifies (it was signed), but the entry is not the one stored.
  ASSERT_EQ(Ctl(*ledgerd_, absl::StrCat("prove ", payment_seq_, " > ", dir_.Sub("payment2.proof")), &out), 0) << out;
  EXPECT_NE(ReadFile(dir_.Sub("payment.proof")), ReadFile(dir_.Sub("payment2.proof")));
  EXPECT_EQ(ledgerd_->Stop(SIGTERM), 0);
}

TEST_F(OperatorRewriteTest, ACosignatureInTheLogMakesTheRewriteVisibleToEveryone) {
  std::string out;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " witness keygen --name auditor.example/w1 --out ",
                                             dir_.Sub("witness.key")), &out), 0) << out;
  ASSERT_EQ(Witness(absl::StrCat("--log-key ", dir_.Sub("log.vkey"), " --cosign ", dir_.Sub("witness.key")), &out), 0)
      << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("cosigned tree size ", accepted_size_, " as auditor.example/w1; recorded at seq ",
                                          accepted_size_ + 1)));
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " verify --data-dir ", Data()), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("and 1 cosignatures match it"));

  RewriteThePayment();
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " verify --data-dir ", Data()), &out), 1) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("the cosignature recorded at seq ", accepted_size_ + 1,
                                          " by sj01 no longer holds")));
  EXPECT_THAT(out, HasSubstr("The events it covers changed after the cosigner saw them [DATA_LOSS]"));
  EXPECT_EQ(Ctl(*ledgerd_, "verify", &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("no longer holds"));
  EXPECT_EQ(ledgerd_->Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace salesledger

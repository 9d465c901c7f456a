// What the ledger checks of a cosignature before recording it, and what `verify` checks of the
// tree against what was signed (services/tree_audit.h): every refusal with its field and code and
// no trace; then the operator's rewrite, seen by the recorded cosignature and the old checkpoints.
#include "services/tree_audit.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/log_key.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/raw_ledger.h"
#include "tests/testing/status_matchers.h"
#include "transparency/cosignature.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;
using Code = absl::StatusCode;

class TreeAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_key_ = *ReadLogKey(h_.data_dir());
    auditor_ = *note::NewSigner("auditor.example/w1", note::kEd25519Cosignature);
    for (int i = 1; i <= 5; ++i) {
      h_.Must("gw01", "log_visit",
              absl::StrCat(R"({"project_id":"BJF","visit_id":"V)", i,
                           R"(","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":")", h_.At(),
                           R"("})"));
    }
    ASSERT_THAT(h_.ledger().tree_heads().SignLatest().status(), IsOk());
  }

  // The log's checkpoint of `size` with `root` (default: the tree's), cosigned by `cosigner`.
  std::string Cosigned(uint64_t size, const note::Signer& cosigner, std::string root = "") {
    if (root.empty()) root = *h_.ledger().log().TreeRoot(size);
    const TreeCheckpoint c{log_key_.name, size, root};
    return SignCheckpoint(c, log_key_) + CosignatureLine(c.Body(), cosigner, 1767225600);
  }

  absl::StatusOr<CommandOutcome> Cosign(const std::string& checkpoint, const std::string& key,
                                        const std::string& actor = "sj01") {
    v1::Command command;
    command.mutable_add_cosignature()->set_request_id(absl::StrCat("cosign-", ++requests_));
    command.mutable_add_cosignature()->set_checkpoint(checkpoint);
    command.mutable_add_cosignature()->set_cosigner_key(key);
    return h_.ledger().Execute(actor, command);
  }

  testing::LedgerHarness h_;
  note::Signer log_key_, auditor_;
  int requests_ = 0;
};

TEST_F(TreeAuditTest, ACosignatureOfTheTreeIsRecordedAndEveryOtherRefused) {
  const uint64_t size = h_.head();
  const std::string key = auditor_.verifier().ToString();
  const note::Signer other_log = *note::NewSigner(log_key_.name, note::kEd25519);
  const note::Signer log_typed = *note::NewSigner("auditor.example/w1", note::kEd25519);
  std::string bad_signature = Cosigned(size, auditor_);
  char& sig = bad_signature[bad_signature.size() - 5];  // a full base64 digit of the cosignature
  sig = sig == 'A' ? 'B' : 'A';
  const TreeCheckpoint foreign{log_key_.name, size, *h_.ledger().log().TreeRoot(size)};
  const struct {
    const char* why;
    std::string checkpoint, key;
    Code code;
    std::string message;
  } refusals[] = {
      {"a key that is not one", Cosigned(size, auditor_), "nonsense", Code::kInvalidArgument, "field 'cosigner_key'"},
      {"a log's key, not a cosigner's", Cosigned(size, auditor_), log_typed.verifier().ToString(), Code::kInvalidArgument,
       "signature type 1; a cosigner's key has type 4"},
      {"another log's checkpoint", SignCheckpoint(foreign, other_log) + CosignatureLine(foreign.Body(), auditor_, 1), key,
       Code::kInvalidArgument, "field 'checkpoint': the note is not signed by"},
      {"not cosigned by the key given", SignCheckpoint(foreign, log_key_), key, Code::kInvalidArgument,
       "not cosigned by auditor.example/w1"},
      {"a cosignature that does not verify", bad_signature, key, Code::kInvalidArgument,
       "the cosignature of auditor.example/w1 does not verify"},
      {"a size past the tree", Cosigned(size + 3, auditor_, std::string(32, 'r')), key, Code::kInvalidArgument,
       absl::StrCat("it is of tree size ", size + 3, "; this log's tree has ", size, " leaves")},
      {"another root", Cosigned(size, auditor_, std::string(32, 'r')), key, Code::kFailedPrecondition,
       absl::StrCat("says tree size ", size, " has root ", absl::Base64Escape(std::string(32, 'r')))},
  };
  for (const auto& r : refusals) {
    EXPECT_THAT(Cosign(r.checkpoint, r.key).status(), StatusIs(r.code, HasSubstr(r.message))) << r.why;
    EXPECT_EQ(h_.head(), size) << r.why << " left a trace";
  }
  // The role comes first, as for every command: a finance lead learns nothing about the fields.
  EXPECT_THAT(Cosign("not a checkpoint", "nonsense", "cw01").status(),
              StatusIs(Code::kPermissionDenied, HasSubstr("cw01 may not add_cosignature: it needs role AUDITOR")));
  auto recorded = Cosign(Cosigned(size, auditor_), key);
  ASSERT_THAT(recorded.status(), IsOk());
  EXPECT_EQ(recorded->event.seq(), size + 1);
  EXPECT_EQ(recorded->leaf_hash, *h_.ledger().log().LeafHash(size + 1));
  auto audit = AuditTree(h_.ledger().log(), log_key_.verifier());
  ASSERT_THAT(audit.status(), IsOk());
  EXPECT_EQ(audit->size, size + 1);
  EXPECT_EQ(audit->cosignatures, 1u);
  EXPECT_GE(audit->checkpoints, 1u);
}

TEST_F(TreeAuditTest, TheOperatorsRewriteIsSeenByTheCosignatureInTheLog) {
  const uint64_t cosigned = h_.head();
  ASSERT_THAT(Cosign(Cosigned(cosigned, auditor_), auditor_.verifier().ToString()).status(), IsOk());
  const uint64_t visit = cosigned - 2;
  v1::Event changed = *h_.ledger().log().ReadEvent(visit);
  h_.Close();
  {
    // Whoever holds the data dir: the visit made earlier, the chain recomputed, the tree and the
    // old checkpoints thrown away; the restart builds the tree again and signs it with log.key.
    testing::RawLedger raw(h_.data_dir() + "/ledger");
    changed.mutable_log_visit()->mutable_occurred_at()->set_seconds(changed.log_visit().occurred_at().seconds() - 3600);
    changed.clear_hash();
    raw.Rewrite(visit, changed);
    raw.DropTree();
  }
  h_.Reopen();
  EXPECT_THAT(h_.ledger().log().VerifyChain(0, 0).status(), IsOk());
  EXPECT_THAT(h_.ledger().log().VerifyTree().status(), IsOk());
  EXPECT_THAT(AuditTree(h_.ledger().log(), log_key_.verifier()).status(),
              StatusIs(Code::kDataLoss, HasSubstr(absl::StrCat("the cosignature recorded at seq ", cosigned + 1,
                                                               " by sj01 no longer holds"))));
  EXPECT_THAT(AuditTree(h_.ledger().log(), log_key_.verifier()).status(),
              StatusIs(Code::kDataLoss, HasSubstr("The events it covers changed after the cosigner saw them")));
}

TEST_F(TreeAuditTest, OldCheckpointsKeptThroughARewriteAreNotTheTree) {
  const uint64_t signed_size = h_.head();
  v1::Event changed = *h_.ledger().log().ReadEvent(signed_size - 1);
  h_.Close();
  {
    testing::RawLedger raw(h_.data_dir() + "/ledger");
    changed.set_actor_id("gw02");
    changed.clear_hash();
    raw.Rewrite(signed_size - 1, changed);
    // The tree as it was: it no longer matches the events.
  }
  h_.Reopen();
  EXPECT_THAT(AuditTree(h_.ledger().log(), log_key_.verifier()).status(),
              StatusIs(Code::kDataLoss, HasSubstr("the stored Merkle tree differs from the events")));
  ASSERT_THAT(h_.ledger().log().RebuildTree(), IsOk());
  EXPECT_THAT(AuditTree(h_.ledger().log(), log_key_.verifier()).status(),
              StatusIs(Code::kDataLoss, HasSubstr(absl::StrCat("the signed checkpoint of tree size ", signed_size,
                                                               " is not the tree's"))));
}

}  // namespace
}  // namespace salesledger

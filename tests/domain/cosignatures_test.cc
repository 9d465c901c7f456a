// Auditors' cosignatures (domain/cosignatures.cc) on an in-memory state: the role and the fields. The
// signatures and the tree are the ledger's to check (tests/services/tree_audit_test.cc). The
// cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

TEST(CosignaturesTest, OnlyAnAuditorCosignsAndBothFieldsAreNeeded) {
  DomainHarness h;
  RunSteps(h, {
      {"an admin is not independent", "admin", "add_cosignature", R"({"checkpoint":"x\n","cosigner_key":"k"})",
       kPermissionDenied, "admin may not add_cosignature: it needs role AUDITOR"},
      {"a finance lead neither", "cw01", "add_cosignature", R"({"checkpoint":"x\n","cosigner_key":"k"})",
       kPermissionDenied, "it needs role AUDITOR"},
      {"the checkpoint", "sj01", "add_cosignature", R"({"cosigner_key":"k"})", kInvalidArgument,
       "field 'checkpoint' is required"},
      {"the key", "sj01", "add_cosignature", R"({"checkpoint":"x\n"})", kInvalidArgument,
       "field 'cosigner_key' is required"},
      {"recorded (seq 28)", "sj01", "add_cosignature", R"({"checkpoint":"x\n","cosigner_key":"k"})"},
  });
  EXPECT_EQ(h.state().head_seq, 28u);
}

}  // namespace
}  // namespace salesledger::testing

#include "domain/org_state.h"

#include "gtest/gtest.h"

namespace salesledger {
namespace {

TEST(RoleSetTest, SetsOfRoles) {
  RoleSet s = {v1::ADMIN, v1::CASHIER};
  EXPECT_TRUE(s.Has(v1::ADMIN));
  EXPECT_FALSE(s.Has(v1::AUDITOR));
  EXPECT_EQ(s.Names(), "CASHIER or ADMIN");  // in the enum's order
  EXPECT_TRUE(s.Intersects({v1::CASHIER, v1::AUDITOR}));
  EXPECT_FALSE(s.Intersects({v1::AUDITOR}));
  s.Add(v1::AUDITOR);
  EXPECT_EQ(s.list(), (std::vector<v1::Role>{v1::CASHIER, v1::AUDITOR, v1::ADMIN}));
  EXPECT_EQ(RoleSet::FromBits(s.bits()), s);
  EXPECT_TRUE(RoleSet{}.empty());
  EXPECT_FALSE(RoleSet{v1::ROLE_UNSPECIFIED}.Has(v1::ROLE_UNSPECIFIED));  // not a role
}

}  // namespace
}  // namespace salesledger

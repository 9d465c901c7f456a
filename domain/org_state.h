// Who may act: people, their roles, projects and regions, and bearer tokens (SPEC.md §1, §3.1, §9).
// Part of State (state.h); folded by the org area (org.cc). Plain values: thread-safety is the
// owning State's.
#ifndef SALESLEDGER_DOMAIN_ORG_STATE_H_
#define SALESLEDGER_DOMAIN_ORG_STATE_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "salesledger/v1/commands.pb.h"

namespace salesledger {

inline constexpr char kAdminPersonId[] = "admin";
inline constexpr char kSystemPersonId[] = "system";

// A set of roles (salesledger.v1.Role values), as a bit mask: a person holds a few of a dozen.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<v1::Role> roles) {
    for (v1::Role r : roles) bits_ |= Bit(r);
  }
  static constexpr RoleSet FromBits(uint32_t bits) {
    RoleSet s;
    s.bits_ = bits;
    return s;
  }

  constexpr bool Has(v1::Role r) const { return (bits_ & Bit(r)) != 0; }
  constexpr bool Intersects(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  void Add(v1::Role r) { bits_ |= Bit(r); }
  constexpr uint32_t bits() const { return bits_; }
  // In the order of the enum.
  std::vector<v1::Role> list() const;
  // "ADMIN or FINANCE_LEAD", for messages.
  std::string Names(const char* separator = " or ") const;

  friend constexpr bool operator==(RoleSet a, RoleSet b) { return a.bits_ == b.bits_; }

 private:
  static constexpr uint32_t Bit(v1::Role r) { return r > 0 && r < 32 ? uint32_t{1} << r : 0; }
  uint32_t bits_ = 0;
};

struct Person {
  std::string person_id;
  std::string name;
  RoleSet roles;
  std::string supervisor_id;                 // empty: no direct supervisor
  absl::flat_hash_set<std::string> project_ids;
  absl::flat_hash_set<std::string> region_ids;  // MANAGER and REGION_ADMIN: the regions they read or administer
  bool shared = false;                       // a shared front-desk account
  bool active = true;

  bool HasRole(v1::Role role) const { return roles.Has(role); }
};

struct Token {
  std::string token_id;
  std::string person_id;
  std::string sha256;                        // of the bearer token; the token is never stored
  bool revoked = false;
  // Judged by the server's clock when a call authenticates (the state keeps only the date).
  absl::Time expires_at = absl::InfiniteFuture();  // tokens from before expiry, and genesis's: never
  absl::Time issued_at;
};

// A region of the group (地区公司): its projects and its administrators name it.
struct Region {
  std::string region_id;
  std::string name;
};

struct OrgState {
  absl::flat_hash_map<std::string, Person> people;
  absl::flat_hash_map<std::string, Token> tokens;              // by token_id
  absl::flat_hash_map<std::string, std::string> token_by_hash; // sha256 -> token_id
  absl::flat_hash_map<std::string, Region> regions;
};

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_ORG_STATE_H_

// The state codec. Grammar of an encoding (piece boundaries fall anywhere; see state_codec.h):
//
//   encoding     := magic state                      ; magic = kStateFormat, 4 bytes
//   state        := org projects policies violations late_visits timeliness outages head_seq
//   integer      := varint of the zig-zag of the value  (unsigned ones too: zig-zag of int64)
//   bool         := varint 0 | 1
//   enum         := integer
//   string       := varint length, bytes             ; Symbol and CompactId alike
//   time         := varint 0, integer unix_nanos | varint 1 (infinite past) | varint 2 (future)
//   message      := string of its deterministic protobuf serialization   ; Policy
//   sequence<T>  := integer count, T*                ; vector, deque
//   map<K,V>     := integer count, (K V)*            ; ordered maps in their order; hash maps
//                                                    ;   by (FNV-1a-64(key), key); others by key
//   set<K>       := sequence<K>, sorted
//   idtable<R>   := integer count, R*                ; in the order added (the log's), ids unique
//   record       := its fields in declaration order, each by its type above; a struct derived
//                   from Auditable starts with  audit audit_seq locked overdue_charged voided seq
//                   recorded_at
//
// Records are listed by the Io(A&, Record&) functions below, one per struct of domain/state.h, with
// a compile-time guard of the struct's size beside each.
#include "projections/state_codec.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <type_traits>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"
#include "base/sha256.h"

namespace salesledger {
namespace {

constexpr absl::string_view kMagic = kStateFormat;

// Writer and Reader share one interface, a(x), so that each struct's fields are listed once (Io).
// The writer hands its output to a sink in pieces of piece_bytes (the last may be shorter), so
// that a large state is never held twice; a piece boundary may fall anywhere.
class Writer {
 public:
  static constexpr bool kReading = false;
  Writer(const StatePieceSink& sink, size_t piece_bytes)
      : sink_(sink), piece_bytes_(std::max<size_t>(piece_bytes, 1)), out_(new char[piece_bytes_]) {}

  absl::Status Finish() {
    Flush();
    return status_;
  }

  // Varints and short strings are written straight into the piece (the encoding of a 10M-event
  // state is a few hundred million of them); only writes that reach the piece's end take the
  // general path.
  void Varint(uint64_t v) {
    if (size_ + kMaxVarint < piece_bytes_) {
      size_ = PutVarint(v, out_.get() + size_) - out_.get();
      return;
    }
    char bytes[kMaxVarint];
    Raw(absl::string_view(bytes, PutVarint(v, bytes) - bytes));
  }
  void Raw(absl::string_view bytes) {
    if (size_ + bytes.size() < piece_bytes_) {  // the common case: it fits in this piece
      std::memcpy(out_.get() + size_, bytes.data(), bytes.size());
      size_ += bytes.size();
      return;
    }
    while (!bytes.empty()) {
      const size_t n = std::min(bytes.size(), piece_bytes_ - size_);
      std::memcpy(out_.get() + size_, bytes.data(), n);
      size_ += n;
      bytes.remove_prefix(n);
      if (size_ == piece_bytes_) Flush();
    }
  }
  void operator()(std::string& s) {
    Varint(s.size());
    Raw(s);
  }
  void operator()(Symbol& s) {
    Varint(s.size());
    Raw(s.str());
  }
  void operator()(CompactId& id) {
    Varint(id.size());
    Raw(id.view());
  }
  void operator()(CompactTime& t) {
    absl::Time time = t;
    (*this)(time);
  }
  void operator()(bool& b) { Varint(b ? 1 : 0); }
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  void operator()(T& v) {
    // Zig-zag, so that negative numbers stay short.
    const int64_t x = static_cast<int64_t>(v);
    Varint((static_cast<uint64_t>(x) << 1) ^ static_cast<uint64_t>(x >> 63));
  }
  template <typename E>
    requires std::is_enum_v<E>
  void operator()(E& e) {
    int64_t v = static_cast<int64_t>(e);
    (*this)(v);
  }
  void operator()(absl::Time& t) {
    if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
      Varint(t == absl::InfinitePast() ? 1 : 2);
      return;
    }
    Varint(0);
    int64_t nanos = absl::ToUnixNanos(t);
    (*this)(nanos);
  }
  void operator()(google::protobuf::MessageLite& m) {
    std::string bytes;
    {
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      m.SerializeToCodedStream(&coded);
    }
    (*this)(bytes);
  }

 private:
  static constexpr size_t kMaxVarint = 10;

  // Writes `v` as a varint at `p`; returns the end.
  static char* PutVarint(uint64_t v, char* p) {
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    return p;
  }
  void Flush() {
    if (size_ == 0) return;
    if (status_.ok()) status_ = sink_(absl::string_view(out_.get(), size_));
    size_ = 0;
  }
  const StatePieceSink& sink_;
  const size_t piece_bytes_;
  std::unique_ptr<char[]> out_;  // the piece being written: size_ of piece_bytes_ used
  size_t size_ = 0;
  absl::Status status_;
};

// The reader pulls pieces as it needs them and keeps only the unread rest of the current one.
class Reader {
 public:
  static constexpr bool kReading = true;
  Reader(uint64_t total_bytes, const StatePieceSource& source) : total_(total_bytes), source_(source) {}
  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }
  // Bytes left of the declared total: a bound on how many elements can follow.
  uint64_t remaining() const { return total_ - std::min(total_, consumed_); }
  bool done() {
    if (pos_ < buf_.size()) return false;
    return !Pull() && consumed_ == total_;
  }

  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= buf_.size() && !Pull()) return Fail();
      const unsigned char c = buf_[pos_++];
      ++consumed_;
      v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (c < 0x80) return v;
    }
    return Fail();
  }
  void operator()(std::string& s) { Raw(Varint(), s); }
  // The next n bytes.
  void Raw(uint64_t n, std::string& s) {
    if (n > remaining()) {
      Fail();
      return;
    }
    s.clear();
    s.reserve(n);
    while (s.size() < n && ok()) {
      if (pos_ >= buf_.size() && !Pull()) {
        Fail();
        return;
      }
      const size_t take = std::min<size_t>(n - s.size(), buf_.size() - pos_);
      s.append(buf_, pos_, take);
      pos_ += take;
      consumed_ += take;
    }
  }
  void operator()(Symbol& s) {
    std::string text;
    (*this)(text);
    s = text;
  }
  void operator()(CompactId& id) {
    std::string text;
    (*this)(text);
    id = CompactId(text);
  }
  void operator()(CompactTime& t) {
    absl::Time time;
    (*this)(time);
    t = time;
  }
  void operator()(bool& b) { b = Varint() != 0; }
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  void operator()(T& v) {
    const uint64_t z = Varint();
    v = static_cast<T>(static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1)));
  }
  template <typename E>
    requires std::is_enum_v<E>
  void operator()(E& e) {
    int64_t v = 0;
    (*this)(v);
    e = static_cast<E>(v);
  }
  void operator()(absl::Time& t) {
    const uint64_t kind = Varint();
    if (kind == 1) {
      t = absl::InfinitePast();
    } else if (kind == 2) {
      t = absl::InfiniteFuture();
    } else {
      int64_t nanos = 0;
      (*this)(nanos);
      t = absl::FromUnixNanos(nanos);
    }
  }
  void operator()(google::protobuf::MessageLite& m) {
    std::string bytes;
    (*this)(bytes);
    if (!m.ParseFromString(bytes)) Fail();
  }

 void Corrupt() { Fail(); }

 private:
  // The next piece into buf_; false at the end of the input or on a source error.
  bool Pull() {
    if (!status_.ok()) return false;
    absl::StatusOr<std::optional<std::string>> piece = source_();
    if (!piece.ok()) {
      status_ = piece.status();
      return false;
    }
    if (!*piece) return false;
    buf_ = **std::move(piece);
    pos_ = 0;
    return true;
  }
  uint64_t Fail() {
    if (status_.ok()) status_ = absl::DataLossError("the projection checkpoint is truncated or corrupt");
    pos_ = buf_.size();
    return 0;
  }
  const uint64_t total_;
  const StatePieceSource& source_;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t consumed_ = 0;
  absl::Status status_;
};

// ---- containers ----

template <typename A, typename T>
void Io(A& a, T& v) {
  a(v);
}

template <typename A, typename K, typename V>
void Io(A& a, std::pair<K, V>& p) {
  Io(a, p.first);
  Io(a, p.second);
}

// Vectors and deques: a count, then the elements.
template <typename A, typename Sequence>
void IoSequence(A& a, Sequence& v) {
  uint64_t n = v.size();
  a(n);
  if constexpr (A::kReading) {
    // Every element takes at least one byte: a count past the input is corruption, not a size to
    // allocate.
    if (n > a.remaining()) {
      a.Corrupt();
      n = 0;
    }
    v.resize(n);
  }
  for (auto& x : v) Io(a, x);
}
template <typename A, typename T>
void Io(A& a, std::vector<T>& v) { IoSequence(a, v); }
template <typename A, typename T>
void Io(A& a, std::deque<T>& v) { IoSequence(a, v); }

// A fixed 64-bit FNV-1a hash: the order hash maps are written in must not depend on the process
// (absl::Hash is seeded per process) or the build.
uint64_t FixedHash(absl::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// Maps are written as a count and then their entries, in an order that depends only on the keys:
// ordered maps in their own order; hash maps with string keys by (FixedHash(key), key), which
// sorts millions of ids far faster than comparing their texts; other hash maps by key.
template <typename A, typename Map>
void IoMap(A& a, Map& m) {
  using Key = typename Map::key_type;
  if constexpr (A::kReading) {
    uint64_t n = 0;
    a(n);
    m.clear();
    // Sized once (each entry takes at least two bytes, so corruption cannot ask for more than
    // the input could hold): no rehashing while a large checkpoint loads.
    if constexpr (requires { m.reserve(n); }) m.reserve(std::min<uint64_t>(n, a.remaining() / 2));
    for (uint64_t i = 0; i < n && a.ok(); ++i) {
      Key k{};
      Io(a, k);
      Io(a, m[k]);
    }
  } else if constexpr (requires { typename Map::key_compare; }) {
    uint64_t n = m.size();
    a(n);
    for (auto& [k, v] : m) {
      Io(a, const_cast<Key&>(k));
      Io(a, v);
    }
  } else {
    // Sorted pointers, not copies: the entries of a map are not held twice. (The tables that grow
    // with the log are IdTables, written in their own order; hash maps stay small.)
    struct Entry {
      uint64_t hash;
      typename Map::value_type* entry;
    };
    std::vector<Entry> entries;
    entries.reserve(m.size());
    for (auto& kv : m) {
      uint64_t hash = 0;
      if constexpr (std::is_convertible_v<const Key&, absl::string_view>) hash = FixedHash(kv.first);
      entries.push_back({hash, &kv});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
      return x.hash != y.hash ? x.hash < y.hash : x.entry->first < y.entry->first;
    });
    uint64_t n = entries.size();
    a(n);
    for (auto& e : entries) {
      Io(a, const_cast<Key&>(e.entry->first));
      Io(a, e.entry->second);
    }
  }
}

template <typename A, typename Set>
void IoSet(A& a, Set& s) {
  std::vector<typename Set::key_type> items(s.begin(), s.end());
  std::sort(items.begin(), items.end());
  Io(a, items);
  if constexpr (A::kReading) s = Set(items.begin(), items.end());
}

template <typename A, typename K, typename V, typename C>
void Io(A& a, std::map<K, V, C>& m) { IoMap(a, m); }
template <typename A, typename K, typename V, typename... R>
void Io(A& a, absl::flat_hash_map<K, V, R...>& m) { IoMap(a, m); }
template <typename A, typename K, typename... R>
void Io(A& a, absl::flat_hash_set<K, R...>& s) { IoSet(a, s); }
// In the order added (the log's order), so no sort; an id twice is corruption.
template <typename A, typename R, absl::string_view (*IdOf)(const R&)>
void Io(A& a, IdTable<R, IdOf>& table) {
  uint64_t n = table.size();
  a(n);
  if constexpr (A::kReading) {
    table = IdTable<R, IdOf>();
    for (uint64_t i = 0; i < n && a.ok(); ++i) {
      R record{};
      Io(a, record);
      if (!table.Add(std::move(record))) a.Corrupt();
    }
  } else {
    for (const R& record : table) Io(a, const_cast<R&>(record));
  }
}

// ---- the state, field by field ----
//
// Each struct of domain/state.h is listed here once, for both directions, in declaration order.
// The guard beside each fails to compile when the struct changes size: a field added to the
// state must be added here too (and the format's magic bumped), or a restart from a checkpoint
// would silently reset it.
#define SL_STORED_AS(Struct, bytes)                                                                  \
  static_assert(sizeof(Struct) == (bytes), #Struct " changed: list the new field in "                 \
                                           "projections/state_codec.cc and bump kStateFormat")

template <typename A>
void Io(A& a, RoleSet& roles) {
  uint32_t bits = roles.bits();
  Io(a, bits);
  if constexpr (A::kReading) roles = RoleSet::FromBits(bits);
}
SL_STORED_AS(Person, 192);
template <typename A>
void Io(A& a, Person& p) {
  Io(a, p.person_id), Io(a, p.name), Io(a, p.roles), Io(a, p.supervisor_id), Io(a, p.project_ids),
      Io(a, p.region_ids), Io(a, p.shared), Io(a, p.active);
}
SL_STORED_AS(Token, 136);
template <typename A>
void Io(A& a, Token& t) {
  Io(a, t.token_id), Io(a, t.person_id), Io(a, t.sha256), Io(a, t.revoked), Io(a, t.expires_at), Io(a, t.issued_at);
}
SL_STORED_AS(Region, 64);
template <typename A>
void Io(A& a, Region& r) {
  Io(a, r.region_id), Io(a, r.name);
}
SL_STORED_AS(OrgState, 160);
template <typename A>
void Io(A& a, OrgState& o) {
  Io(a, o.people), Io(a, o.tokens), Io(a, o.token_by_hash), Io(a, o.regions);
}
SL_STORED_AS(Unit, 264);
template <typename A>
void Io(A& a, Unit& u) {
  Io(a, u.unit_id), Io(a, u.building), Io(a, u.room), Io(a, u.product_type), Io(a, u.floor), Io(a, u.area_x100),
      Io(a, u.list_price_fen), Io(a, u.status), Io(a, u.setup), Io(a, u.rejected), Io(a, u.reservation_id),
      Io(a, u.subscription_id), Io(a, u.contract_id);
}
SL_STORED_AS(PaymentPlan, 80);
template <typename A>
void Io(A& a, PaymentPlan& p) {
  Io(a, p.plan_id), Io(a, p.name), Io(a, p.kind), Io(a, p.discount_bp), Io(a, p.setup), Io(a, p.rejected);
}
SL_STORED_AS(Customer, 224);
template <typename A>
void Io(A& a, Customer& c) {
  Io(a, c.customer_id), Io(a, c.name), Io(a, c.phone_digits), Io(a, c.phone_index), Io(a, c.sealed),
      Io(a, c.erasure_requested_seq), Io(a, c.erasure_requested_by), Io(a, c.erased_seq), Io(a, c.consultant_id),
      Io(a, c.source), Io(a, c.occurred_at), Io(a, c.seq), Io(a, c.visits), Io(a, c.voided);
}
SL_STORED_AS(Visit, 32);
template <typename A>
void Io(A& a, Visit& v) {
  Io(a, v.consultant_id), Io(a, v.occurred_at), Io(a, v.seq), Io(a, v.kind), Io(a, v.voided);
}
SL_STORED_AS(Reservation, 160);
template <typename A>
void Io(A& a, Reservation& r) {
  Io(a, r.reservation_id), Io(a, r.unit_id), Io(a, r.customer_id), Io(a, r.seq), Io(a, r.status), Io(a, r.ended_seq),
      Io(a, r.subscription_id), Io(a, r.voided);
}
SL_STORED_AS(Auditable, 40);
template <typename A>
void IoAuditable(A& a, Auditable& x) {
  Io(a, x.audit), Io(a, x.audit_seq), Io(a, x.locked), Io(a, x.overdue_charged), Io(a, x.voided), Io(a, x.seq),
      Io(a, x.recorded_at);
}
SL_STORED_AS(Subscription, 328);
template <typename A>
void Io(A& a, Subscription& s) {
  IoAuditable(a, s);
  Io(a, s.subscription_id), Io(a, s.unit_id), Io(a, s.consultant_id), Io(a, s.payment_plan_id), Io(a, s.reservation_id),
      Io(a, s.contract_id), Io(a, s.customer_ids), Io(a, s.change_ids), Io(a, s.price_fen), Io(a, s.occurred_at),
      Io(a, s.cancelled_at), Io(a, s.status);
}
SL_STORED_AS(Contract, 288);
template <typename A>
void Io(A& a, Contract& k) {
  IoAuditable(a, k);
  Io(a, k.contract_id), Io(a, k.subscription_id), Io(a, k.contract_no), Io(a, k.unit_id), Io(a, k.change_ids),
      Io(a, k.price_fen), Io(a, k.occurred_at), Io(a, k.cancelled_at), Io(a, k.status), Io(a, k.service_steps_done);
}
SL_STORED_AS(Payment, 136);
template <typename A>
void Io(A& a, Payment& p) {
  IoAuditable(a, p);
  Io(a, p.receipt_no), Io(a, p.customer_id), Io(a, p.subscription_id), Io(a, p.fee_item), Io(a, p.cashier_id),
      Io(a, p.occurred_at), Io(a, p.kind), Io(a, p.method), Io(a, p.amount_fen), Io(a, p.refunded_fen),
      Io(a, p.transfer_id);
}
SL_STORED_AS(Refund, 152);
template <typename A>
void Io(A& a, Refund& r) {
  IoAuditable(a, r);
  Io(a, r.refund_id), Io(a, r.payment_id), Io(a, r.cashier_id), Io(a, r.occurred_at), Io(a, r.amount_fen);
}
SL_STORED_AS(Transfer, 112);
template <typename A>
void Io(A& a, Transfer& t) {
  Io(a, t.transfer_id), Io(a, t.payment_id), Io(a, t.subscription_id), Io(a, t.amount_fen), Io(a, t.voided);
}
SL_STORED_AS(Change, 184);
template <typename A>
void Io(A& a, Change& c) {
  Io(a, c.change_id), Io(a, c.target_id), Io(a, c.kind), Io(a, c.new_unit_id), Io(a, c.new_payment_plan_id),
      Io(a, c.new_customer_ids), Io(a, c.new_price_fen), Io(a, c.status), Io(a, c.decided_seq);
}
SL_STORED_AS(VoidRequest, 88);
template <typename A>
void Io(A& a, VoidRequest& v) {
  Io(a, v.void_id), Io(a, v.target_seq), Io(a, v.maker_id), Io(a, v.status), Io(a, v.decided_seq);
}
SL_STORED_AS(VoidableEntry, 32);
template <typename A>
void Io(A& a, VoidableEntry& e) {
  uint64_t seq = e.seq;
  int64_t kind = e.kind_number;
  bool voided = e.voided;
  Io(a, seq), Io(a, kind), Io(a, e.actor_id), Io(a, e.item_id), Io(a, voided);
  if constexpr (A::kReading) {
    if (seq >> 48 != 0 || kind < 0 || kind >> 15 != 0) a.Corrupt();  // do not fit the packed fields
    e.seq = seq;
    e.kind_number = kind;
    e.voided = voided;
  }
}
// Listed in seq order, as kept.
SL_STORED_AS(VoidableEntries, 80);
template <typename A>
void Io(A& a, VoidableEntries& v) {
  std::deque<VoidableEntry>& entries = v.entries();
  uint64_t n = entries.size();
  a(n);
  if constexpr (A::kReading) {
    entries.clear();
    for (uint64_t i = 0; i < n && a.ok(); ++i) {
      Io(a, entries.emplace_back());
      if (i > 0 && entries[i - 1].seq >= entries[i].seq) a.Corrupt();
    }
  } else {
    for (auto& e : entries) Io(a, e);
  }
}
SL_STORED_AS(Item, 32);
SL_STORED_AS(ItemRef, 16);
template <typename A>
void Io(A& a, Item& item) {
  Io(a, item.id), Io(a, item.ref.kind), Io(a, item.ref.index), Io(a, item.ref.last_seq);
}
// Visits are found by position and named by their voidable entry: a checkpoint whose positions or
// entries do not match would send a later lookup out of bounds.
// Linear: visits and voidable entries are both in seq order.
bool VisitsConsistent(const Project& p) {
  auto entry = p.voidable.begin();
  for (const Visit& v : p.visits) {
    while (entry != p.voidable.end() && entry->seq < v.seq) ++entry;
    if (entry == p.voidable.end() || entry->seq != v.seq || entry->kind() != v1::Event::kLogVisit) return false;
  }
  for (const VoidableEntry& e : p.voidable) {
    if (e.kind() != v1::Event::kLogVisit) continue;
    const Item* item = p.items.Find(e.item_id);
    if (item == nullptr || item->ref.kind != ItemKind::kVisit) return false;
  }
  for (const auto& [id, ref] : p.items) {
    if (ref.kind == ItemKind::kVisit && ref.index >= p.visits.size()) return false;
  }
  for (const auto& [id, c] : p.customers) {
    for (uint32_t index : c.visits) {
      if (index >= p.visits.size()) return false;
    }
  }
  return true;
}

SL_STORED_AS(PrintRecord, 24);
template <typename A>
void Io(A& a, PrintRecord& r) {
  Io(a, r.copies), Io(a, r.first_seq), Io(a, r.first_at);
}
SL_STORED_AS(Project, 1464);
template <typename A>
void Io(A& a, Project& p) {
  // `zone` is derived from time_zone when read.
  Io(a, p.project_id), Io(a, p.name), Io(a, p.time_zone), Io(a, p.company), Io(a, p.region_id), Io(a, p.defined_at), Io(a, p.sales_lead_id),
      Io(a, p.accountant_id), Io(a, p.items), Io(a, p.units), Io(a, p.plans), Io(a, p.customers),
      Io(a, p.customer_by_phone), Io(a, p.visits), Io(a, p.reservations), Io(a, p.subscriptions), Io(a, p.contracts),
      Io(a, p.contract_nos), Io(a, p.changes), Io(a, p.payments), Io(a, p.payment_invoices), Io(a, p.refunds),
      Io(a, p.transfers), Io(a, p.invoice_nos), Io(a, p.voids), Io(a, p.voidable), Io(a, p.spends),
      Io(a, p.competitors), Io(a, p.receipts_issued), Io(a, p.plan_versions), Io(a, p.plans_by_product),
      Io(a, p.first_plan_recorded), Io(a, p.feedback_recorded), Io(a, p.plan_flags_raised), Io(a, p.prints);
  if constexpr (A::kReading) {
    absl::LoadTimeZone(p.time_zone, &p.zone);
    if (!VisitsConsistent(p)) a.Corrupt();
  }
}
SL_STORED_AS(Violation, 120);
template <typename A>
void Io(A& a, Violation& v) {
  Io(a, v.violation_id), Io(a, v.joins), Io(a, v.subject_id), Io(a, v.project_id), Io(a, v.period),
      Io(a, v.parameters), Io(a, v.amount_fen), Io(a, v.event_seq), Io(a, v.entry_seq), Io(a, v.time),
      Io(a, v.waiver_seq), Io(a, v.late_in_month), Io(a, v.policy_version), Io(a, v.deadline_before_s), Io(a, v.rule),
      Io(a, v.joint), Io(a, v.waived), Io(a, v.excused);
}
SL_STORED_AS(Waiver, 40);
template <typename A>
void Io(A& a, Waiver& w) {
  Io(a, w.reason), Io(a, w.waived_by);
}
SL_STORED_AS(Violations, 96);
template <typename A>
void Io(A& a, Violations& violations) {
  Io(a, violations.in_order()), Io(a, violations.waivers());
}
SL_STORED_AS(TimelinessKey, 128);
template <typename A>
void Io(A& a, TimelinessKey& k) {
  Io(a, k.project_id), Io(a, k.person_id), Io(a, k.kind), Io(a, k.period);
}
SL_STORED_AS(TimelinessCell, 64);
template <typename A>
void Io(A& a, TimelinessCell& c) {
  Io(a, c.entries), Io(a, c.late), Io(a, c.lag_seconds), Io(a, c.late_deadlines);
}
SL_STORED_AS(Outage, 168);
template <typename A>
void Io(A& a, Outage& o) {
  Io(a, o.outage_id), Io(a, o.seq), Io(a, o.from), Io(a, o.to), Io(a, o.project_ids), Io(a, o.reason),
      Io(a, o.declared_by), Io(a, o.withdrawn_seq);
}
SL_STORED_AS(State, 480);
template <typename A>
void Io(A& a, State& s) {
  Io(a, s.org), Io(a, s.projects), Io(a, s.policies), Io(a, s.violations), Io(a, s.late_visits), Io(a, s.timeliness),
      Io(a, s.outages), Io(a, s.head_seq);
}

#undef SL_STORED_AS

}  // namespace

absl::Status EncodeState(const State& state, const StatePieceSink& sink, size_t piece_bytes) {
  Writer w(sink, piece_bytes);
  w.Raw(kMagic);
  Io(w, const_cast<State&>(state));  // the writer only reads
  return w.Finish();
}

std::string EncodeState(const State& state) {
  std::string out;
  (void)EncodeState(state, [&](absl::string_view piece) {
    out.append(piece.data(), piece.size());
    return absl::OkStatus();
  });
  return out;
}

std::string StateDigest(const State& state) {
  Sha256Stream sha;
  (void)EncodeState(state, [&](absl::string_view piece) {
    sha.Update(piece);
    return absl::OkStatus();
  });
  return sha.Finish();
}

absl::StatusOr<State> DecodeState(uint64_t total_bytes, const StatePieceSource& source) {
  Reader r(total_bytes, source);
  std::string magic;
  r.Raw(kMagic.size(), magic);
  if (!r.ok()) return r.status();
  if (magic != kMagic) return absl::DataLossError("the projection checkpoint is not in this build's format");
  State state;
  Io(r, state);
  if (r.ok() && !r.done()) return absl::DataLossError("the projection checkpoint is truncated or corrupt");
  if (!r.ok()) return r.status();
  return state;
}

absl::StatusOr<State> DecodeState(absl::string_view bytes) {
  bool given = false;
  return DecodeState(bytes.size(), [&]() -> absl::StatusOr<std::optional<std::string>> {
    if (given) return std::nullopt;
    given = true;
    return std::string(bytes);
  });
}

}  // namespace salesledger

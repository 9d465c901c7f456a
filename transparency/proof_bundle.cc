#include "transparency/proof_bundle.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "transparency/merkle.h"

namespace salesledger {
namespace {

constexpr char kHeader[] = "salesledger inclusion proof";

absl::StatusOr<std::string> Hash(absl::string_view what, absl::string_view base64) {
  std::string out;
  if (!absl::Base64Unescape(base64, &out) || out.size() != merkle::kHashBytes) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is not the base64 of a 32-byte hash: '", base64, "'"));
  }
  return out;
}

absl::StatusOr<uint64_t> Number(absl::string_view what, absl::string_view text) {
  uint64_t n = 0;
  if (!absl::SimpleAtoi(text, &n) || absl::StrCat(n) != text) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is not a decimal number: '", text, "'"));
  }
  return n;
}

absl::StatusOr<ProofBundle> ParseJson(absl::string_view text) {
  google::protobuf::Struct json;
  if (!google::protobuf::util::JsonStringToMessage(std::string(text), &json).ok()) {
    return absl::InvalidArgumentError("the proof is neither the text form nor JSON");
  }
  const auto& f = json.fields();
  auto str = [&](const char* key) -> std::string {
    auto it = f.find(key);
    return it == f.end() ? "" : it->second.has_string_value() ? it->second.string_value()
                                : it->second.has_number_value() ? absl::StrCat(static_cast<uint64_t>(it->second.number_value()))
                                                                 : "";
  };
  ProofBundle b;
  ASSIGN_OR_RETURN(b.seq, Number("\"seq\"", str("seq")));
  ASSIGN_OR_RETURN(b.tree_size, Number("\"tree_size\"", str("tree_size")));
  ASSIGN_OR_RETURN(b.leaf_hash, Hash("\"leaf_hash\"", str("leaf_hash")));
  if (!str("event").empty() && !absl::Base64Unescape(str("event"), &b.event)) {
    return absl::InvalidArgumentError("\"event\" is not base64");
  }
  if (auto it = f.find("proof"); it != f.end()) {
    for (const auto& v : it->second.list_value().values()) {
      ASSIGN_OR_RETURN(std::string h, Hash(absl::StrCat("\"proof\"[", b.proof.size(), "]"), v.string_value()));
      b.proof.push_back(std::move(h));
    }
  }
  b.checkpoint = str("checkpoint");
  if (b.checkpoint.empty()) return absl::InvalidArgumentError("\"checkpoint\" is missing");
  return b;
}

}  // namespace

std::string ProofBundle::ToText() const {
  std::string out = absl::StrCat(kHeader, "\nseq ", seq, "\ntree-size ", tree_size, "\nleaf-hash ",
                                 absl::Base64Escape(leaf_hash), "\n");
  if (!event.empty()) absl::StrAppend(&out, "event ", absl::Base64Escape(event), "\n");
  for (const std::string& h : proof) absl::StrAppend(&out, "proof ", absl::Base64Escape(h), "\n");
  absl::StrAppend(&out, "checkpoint\n", checkpoint);
  return out;
}

std::string ProofBundle::ToJson() const {
  google::protobuf::Struct json;
  auto& f = *json.mutable_fields();
  f["seq"].set_string_value(absl::StrCat(seq));  // strings: JSON numbers lose precision past 2^53
  f["tree_size"].set_string_value(absl::StrCat(tree_size));
  f["leaf_hash"].set_string_value(absl::Base64Escape(leaf_hash));
  if (!event.empty()) f["event"].set_string_value(absl::Base64Escape(event));
  auto* list = f["proof"].mutable_list_value();
  for (const std::string& h : proof) list->add_values()->set_string_value(absl::Base64Escape(h));
  f["checkpoint"].set_string_value(checkpoint);
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(json, &out);
  return out + "\n";
}

absl::StatusOr<ProofBundle> ParseProofBundle(absl::string_view text) {
  if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(text), "{")) return ParseJson(text);
  const size_t split = text.find("\ncheckpoint\n");
  if (!absl::StartsWith(text, absl::StrCat(kHeader, "\n")) || split == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("a proof starts with the line '", kHeader,
                                                   "' and has a line 'checkpoint' before the signed checkpoint"));
  }
  ProofBundle b;
  b.checkpoint = std::string(text.substr(split + 12));
  const std::vector<absl::string_view> lines =
      absl::StrSplit(text.substr(sizeof(kHeader), split - sizeof(kHeader) + 1), '\n', absl::SkipEmpty());
  bool seq = false, size = false, leaf = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(lines[i], absl::MaxSplits(' ', 1));
    const std::string where = absl::StrCat("line ", i + 2, " ('", kv.first, "')");
    if (kv.first == "seq") {
      ASSIGN_OR_RETURN(b.seq, Number(where, kv.second));
      seq = true;
    } else if (kv.first == "tree-size") {
      ASSIGN_OR_RETURN(b.tree_size, Number(where, kv.second));
      size = true;
    } else if (kv.first == "leaf-hash") {
      ASSIGN_OR_RETURN(b.leaf_hash, Hash(where, kv.second));
      leaf = true;
    } else if (kv.first == "event") {
      if (!absl::Base64Unescape(kv.second, &b.event)) return absl::InvalidArgumentError(absl::StrCat(where, " is not base64"));
    } else if (kv.first == "proof") {
      ASSIGN_OR_RETURN(std::string h, Hash(where, kv.second));
      b.proof.push_back(std::move(h));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(where, " is not part of a proof"));
    }
  }
  if (!seq || !size || !leaf) return absl::InvalidArgumentError("a proof names its seq, tree-size and leaf-hash");
  return b;
}

absl::StatusOr<TreeCheckpoint> CheckProofBundle(const ProofBundle& b, const note::Verifier& log_key,
                                                absl::string_view expected_leaf) {
  absl::StatusOr<TreeCheckpoint> checkpoint = OpenCheckpoint(b.checkpoint, log_key);
  if (!checkpoint.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("the checkpoint: ", checkpoint.status().message()));
  }
  if (b.tree_size != checkpoint->size) {
    return absl::FailedPreconditionError(absl::StrCat("the proof is for tree size ", b.tree_size,
                                                      "; the checkpoint is of tree size ", checkpoint->size));
  }
  if (b.seq == 0) return absl::FailedPreconditionError("seq 0 is no entry (seqs start at 1)");
  if (!b.event.empty() && merkle::LeafHash(b.event) != b.leaf_hash) {
    return absl::FailedPreconditionError("the leaf hash is not SHA-256(0x00 || event): the event is not the one proved");
  }
  if (!expected_leaf.empty() && expected_leaf != b.leaf_hash) {
    return absl::FailedPreconditionError(absl::StrCat("the proof is of leaf ", absl::Base64Escape(b.leaf_hash),
                                                      ", not of the expected ", absl::Base64Escape(expected_leaf)));
  }
  RETURN_IF_ERROR(merkle::VerifyInclusion(b.seq - 1, b.tree_size, b.leaf_hash, b.proof, checkpoint->root));
  return checkpoint;
}

}  // namespace salesledger

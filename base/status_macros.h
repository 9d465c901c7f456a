// RETURN_IF_ERROR / ASSIGN_OR_RETURN: Abseil 20220623 has no status macros of its own.
#ifndef SALESLEDGER_BASE_STATUS_MACROS_H_
#define SALESLEDGER_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SL_CONCAT_INNER_(a, b) a##b
#define SL_CONCAT_(a, b) SL_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                                  \
  do {                                                         \
    ::absl::Status sl_status_ = (expr);                        \
    if (!sl_status_.ok()) return sl_status_;                   \
  } while (0)

// `lhs = value of expr`, or returns its status from the enclosing function. It expands to several
// statements (`lhs` may declare a variable of the enclosing scope): never the unbraced body of an if.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(SL_CONCAT_(sl_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#endif  // SALESLEDGER_BASE_STATUS_MACROS_H_

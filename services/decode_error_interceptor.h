// gRPC answers a request that protobuf cannot parse (for example a text field that is not valid
// UTF-8) with INTERNAL and no message, before any handler runs. SPEC.md §4 calls that a malformed
// field: INVALID_ARGUMENT. This interceptor rewrites exactly that status; every status our
// handlers produce carries a message, so none of them is touched.
// Thread-safe: gRPC makes one interceptor per call.
#ifndef SALESLEDGER_SERVICES_DECODE_ERROR_INTERCEPTOR_H_
#define SALESLEDGER_SERVICES_DECODE_ERROR_INTERCEPTOR_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace salesledger {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewDecodeErrorInterceptorFactory();

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_DECODE_ERROR_INTERCEPTOR_H_

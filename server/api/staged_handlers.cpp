#include "staged_handlers.h"

#include "file_handlers.h"
#include "http_status.h"
#include "responses.h"
#include "time_format.h"
#include "validation.h"

namespace hoist {

void registerStagedRoute(HttpServer& server, SessionStore& store, StorageBackend& backend,
                         const CapabilityLinks& links) {
    server.route("GET", "/staged/([^/]+)",
                 [&](const ServerRequest& request, ServerResponse& response) {
                     forbidCaching(response);
                     const std::string& id = request.pathParams[0];
                     const auto param = [&](const char* name) {
                         const auto it = request.query.find(name);
                         return it == request.query.end() ? std::string() : it->second;
                     };
                     const auto notFound = [&] {
                         writeJson(response, httpStatus(ErrorCode::NotFound),
                                   makeError(ErrorCode::NotFound,
                                             "no such staged object, or the link expired")
                                       .body());
                     };
                     if (!isUuid(id) ||
                         !links.verify(id, param("expires"), param("signature"), nowSeconds()))
                         return notFound();
                     auto session = store.find(id);
                     if (!session || !*session || (*session)->state != SessionState::Finalizing)
                         return notFound();
                     streamObject(response, backend, (*session)->staging.key, (*session)->size,
                                  request.header("range"), (*session)->detectedMimeType);
                 });
}

} // namespace hoist

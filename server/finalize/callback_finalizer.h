#pragma once

#include "capability_links.h"
#include "finalizer.h"
#include "http_client.h"
#include "logger.h"
#include "storage_backend.h"

#include <chrono>
#include <string>

namespace hoist {

struct CallbackSettings {
    std::string url;
    std::string secret; // raw, or "whsec_<base64>"
    std::chrono::seconds linkLifetime{24 * 3600};
    // The whole exchange, however slowly the application server answers: past it the
    // attempt is a Retry, so `complete` is never held longer (docs/admin.md, "Security").
    std::chrono::milliseconds deadline{15000};
};

// Hands a verified upload to an application server: POSTs the upload.completed event
// of docs/protocol.md signed the Standard Webhooks 1.0 way, and on a 2xx answer carrying a
// fileId deletes the staged object. Anything else is a Retry for FinalizationRunner.
class CallbackFinalizer final : public Finalizer {
  public:
    CallbackFinalizer(CallbackSettings settings, HttpClient& client, StorageBackend& backend,
                      const CapabilityLinks& links, Logger& logger);
    FinalizeOutcome finalize(const Session& session) override;

    // "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>", the key being the secret's
    // bytes or, for "whsec_<base64>", the decoded part.
    static std::string signature(const std::string& secret, const std::string& id,
                                 std::int64_t timestamp, const std::string& body);

  private:
    std::string payload(const Session& session) const;

    CallbackSettings m_settings;
    HttpClient& m_client;
    StorageBackend& m_backend;
    const CapabilityLinks& m_links;
    Logger& m_logger;
};

} // namespace hoist

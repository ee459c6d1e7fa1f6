#include "callback_finalizer.h"

#include "crypto.h"
#include "time_format.h"

#include <nlohmann/json.hpp>

namespace hoist {

CallbackFinalizer::CallbackFinalizer(CallbackSettings settings, HttpClient& client,
                                     StorageBackend& backend, const CapabilityLinks& links,
                                     Logger& logger)
    : m_settings(std::move(settings)), m_client(client), m_backend(backend), m_links(links),
      m_logger(logger) {}

std::string CallbackFinalizer::signature(const std::string& secret, const std::string& id,
                                         std::int64_t timestamp, const std::string& body) {
    static const std::string kPrefix = "whsec_";
    std::string key = secret;
    if (secret.rfind(kPrefix, 0) == 0)
        if (auto decoded = base64Decode(std::string_view(secret).substr(kPrefix.size())))
            key = std::move(*decoded);
    return "v1," + base64Encode(hmacSha256(key, id + "." + std::to_string(timestamp) + "." + body));
}

std::string CallbackFinalizer::payload(const Session& session) const {
    nlohmann::json storage{{"backend", m_backend.name()}, {"key", session.staging.key}};
    if (const auto bucket = m_backend.bucket())
        storage["bucket"] = *bucket;
    const auto lifetime = m_settings.linkLifetime;
    const std::string downloadUrl =
        m_backend.presignGet(session.staging.key, lifetime)
            .value_or(m_links.make(session.id, nowSeconds() + lifetime.count()));
    return nlohmann::json{
        {"event", "upload.completed"},  {"sessionId", session.id},
        {"userId", session.userId},     {"fileName", session.fileName},
        {"mimeType", session.mimeType}, {"detectedMimeType", session.detectedMimeType},
        {"size", session.size},         {"fingerprint", session.fingerprint},
        {"storage", storage},           {"downloadUrl", downloadUrl}}
        .dump();
}

FinalizeOutcome CallbackFinalizer::finalize(const Session& session) {
    const std::string body = payload(session);
    const std::int64_t timestamp = nowSeconds();
    HttpRequest request;
    request.method = "POST";
    request.url = m_settings.url;
    request.body = body;
    request.timeout = m_settings.deadline;
    request.deadline = m_settings.deadline;
    request.headers = {
        {"Content-Type", "application/json"},
        {"webhook-id", session.id},
        {"webhook-timestamp", std::to_string(timestamp)},
        {"webhook-signature", signature(m_settings.secret, session.id, timestamp, body)}};
    const auto response = m_client.request(request);
    if (!response)
        return {FinalizeOutcome::Status::Retry, {}, "callback failed: " + response.error().message};
    if (response->status < 200 || response->status > 299)
        return {FinalizeOutcome::Status::Retry,
                {},
                "callback answered HTTP " + std::to_string(response->status)};
    const auto answer = nlohmann::json::parse(response->body, nullptr, false);
    if (!answer.is_object() || !answer.contains("fileId") || !answer["fileId"].is_string() ||
        answer["fileId"].get<std::string>().empty())
        return {FinalizeOutcome::Status::Retry,
                {},
                "callback answered 2xx without a fileId in a JSON object"};
    if (auto removed = m_backend.removeObject(session.staging.key); !removed)
        m_logger.warn("session " + session.id +
                      ": staged object not removed: " + removed.error().message);
    return {FinalizeOutcome::Status::Completed, answer["fileId"].get<std::string>(), {}};
}

} // namespace hoist

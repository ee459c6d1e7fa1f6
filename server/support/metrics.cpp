#include "metrics.h"

#include <sstream>

namespace hoist {

void Metrics::countRequest(const std::string& method, int status) {
    std::lock_guard lock(m_mutex);
    ++m_requests[{method, status}];
}

void Metrics::countFinalization(const std::string& outcome) {
    std::lock_guard lock(m_mutex);
    ++m_finalizations[outcome];
}

void Metrics::countError(const std::string& code) {
    std::lock_guard lock(m_mutex);
    ++m_errors[code];
}

void Metrics::countShareLink(const std::string& event) {
    std::lock_guard lock(m_mutex);
    ++m_shareLinks[event];
}

void Metrics::setSessionsByState(std::map<std::string, std::int64_t> sessionsByState) {
    std::lock_guard lock(m_mutex);
    m_sessionsByState = std::move(sessionsByState);
}

void Metrics::addSource(std::function<void(std::ostream&)> source) {
    m_sources.push_back(std::move(source));
}

std::string Metrics::render() const {
    std::ostringstream out;
    renderOwn(out);
    for (const auto& source : m_sources)
        source(out);
    return out.str();
}

void Metrics::renderOwn(std::ostream& out) const {
    out << "# HELP hoistd_requests_total HTTP requests answered, by method and status.\n"
        << "# TYPE hoistd_requests_total counter\n";
    std::lock_guard lock(m_mutex);
    for (const auto& [key, count] : m_requests)
        out << "hoistd_requests_total{method=\"" << key.first << "\",status=\"" << key.second
            << "\"} " << count << "\n";
    out << "# HELP hoistd_bytes_received_total Chunk bytes durably committed.\n"
        << "# TYPE hoistd_bytes_received_total counter\n"
        << "hoistd_bytes_received_total " << m_bytesReceived.load() << "\n"
        << "# HELP hoistd_chunks_committed_total Chunks durably committed.\n"
        << "# TYPE hoistd_chunks_committed_total counter\n"
        << "hoistd_chunks_committed_total " << m_chunksCommitted.load() << "\n"
        << "# HELP hoistd_hash_readback_bytes_total Staged bytes read back to hash chunks that "
           "arrived ahead of the hash.\n"
        << "# TYPE hoistd_hash_readback_bytes_total counter\n"
        << "hoistd_hash_readback_bytes_total " << m_hashReadback.load() << "\n"
        << "# HELP hoistd_sessions Upload sessions in the store, by state.\n"
        << "# TYPE hoistd_sessions gauge\n";
    for (const char* state : {"uploading", "finalizing", "completed", "failed"}) {
        const auto it = m_sessionsByState.find(state);
        out << "hoistd_sessions{state=\"" << state << "\"} "
            << (it == m_sessionsByState.end() ? 0 : it->second) << "\n";
    }
    out << "# HELP hoistd_finalizations_total Finalization attempts, by outcome.\n"
        << "# TYPE hoistd_finalizations_total counter\n";
    for (const auto& [outcome, count] : m_finalizations)
        out << "hoistd_finalizations_total{outcome=\"" << outcome << "\"} " << count << "\n";
    out << "# HELP hoistd_errors_total Error answers, by error code.\n"
        << "# TYPE hoistd_errors_total counter\n";
    for (const auto& [code, count] : m_errors)
        out << "hoistd_errors_total{code=\"" << code << "\"} " << count << "\n";
    out << "# HELP hoistd_share_links_total Share link events: created, revoked, served, page.\n"
        << "# TYPE hoistd_share_links_total counter\n";
    for (const char* event : {"created", "revoked", "served", "page"}) {
        const auto it = m_shareLinks.find(event);
        out << "hoistd_share_links_total{event=\"" << event << "\"} "
            << (it == m_shareLinks.end() ? 0 : it->second) << "\n";
    }
}

} // namespace hoist

#pragma once

#include <QHashFunctions>
#include <QString>

#include <optional>

namespace hoist {

// The wire protocol a job speaks to its server. Adding one (tus 1.0.0) means a value
// here, its name, and one line in the factory that builds its ProtocolClient.
enum class Protocol {
    Native, // hoist's own protocol, docs/protocol.md
    Tus,    // tus 1.0.0 (https://tus.io/protocols/resumable-upload), any tus server
};

// The name kept in the queue file.
QString protocolName(Protocol protocol);
std::optional<Protocol> protocolFromName(const QString& name);

// Qt 6.4 hashes no enum by itself; clients are kept per (server, protocol).
inline size_t qHash(Protocol protocol, size_t seed = 0) noexcept {
    return ::qHash(static_cast<int>(protocol), seed);
}

} // namespace hoist

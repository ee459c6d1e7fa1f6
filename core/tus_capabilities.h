#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace hoist {

// What a tus server's OPTIONS answer offers (tus 1.0.0, "OPTIONS"): the client uses an
// extension only when it is advertised.
struct TusCapabilities {
    bool checksumSha256 = false;   // extension "checksum" with algorithm "sha256"
    bool termination = false;      // extension "termination": DELETE ends an upload
    std::optional<qint64> maxSize; // Tus-Max-Size, when the server has a limit

    // Nothing when the answer is not a tus 1.0.0 server's (no Tus-Version naming 1.0.0).
    static std::optional<TusCapabilities> fromHeaders(const QByteArray& version,
                                                      const QByteArray& extensions,
                                                      const QByteArray& checksumAlgorithms,
                                                      const QByteArray& maxSize);
};

} // namespace hoist

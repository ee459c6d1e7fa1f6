#pragma once

#include "protocol.h"
#include "retry_policy.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>

class QSettings;

namespace hoist {

// The engine's settings. The token is deliberately not persisted by save(): it
// belongs in a keychain, or is given again on the command line.
struct Settings {
    // Qt's network access opens at most six connections to one host: more chunks in
    // flight would only queue inside Qt, where their transfer timeout already runs.
    static constexpr int kMaxParallelChunks = 6;

    QUrl serverUrl;
    Protocol serverProtocol = Protocol::Native; // what serverUrl speaks
    QString token;
    QString caFile; // extra PEM trust anchors for a self-signed server
    int maxConcurrent = 2;
    // Chunks of one file in flight at once when the server grants a window
    // (docs/protocol.md, "Parallel chunks"); 1 sends one at a time and does not ask.
    int parallelChunks = 4;
    RetryPolicy retry;
    qint64 bandwidthLimit = 0; // bytes per second across all jobs; 0 = unlimited
    std::chrono::milliseconds transferTimeout{30000};

    static Settings load(const QSettings& store);
    void save(QSettings& store) const;
};

} // namespace hoist

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
    QUrl serverUrl;
    Protocol serverProtocol = Protocol::Native; // what serverUrl speaks
    QString token;
    QString caFile; // extra PEM trust anchors for a self-signed server
    int maxConcurrent = 2;
    RetryPolicy retry;
    qint64 bandwidthLimit = 0; // bytes per second across all jobs; 0 = unlimited
    std::chrono::milliseconds transferTimeout{30000};

    static Settings load(const QSettings& store);
    void save(QSettings& store) const;
};

} // namespace hoist

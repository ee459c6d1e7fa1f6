#include "settings.h"

#include <QSettings>

#include <algorithm>

namespace hoist {

Settings Settings::load(const QSettings& store) {
    Settings settings;
    settings.serverUrl = QUrl(store.value("server/url").toString());
    settings.serverProtocol =
        protocolFromName(store.value("server/protocol").toString()).value_or(Protocol::Native);
    settings.caFile = store.value("server/caFile").toString();
    settings.maxConcurrent =
        std::max(1, store.value("queue/maxConcurrent", settings.maxConcurrent).toInt());
    settings.parallelChunks =
        std::clamp(store.value("queue/parallelChunks", settings.parallelChunks).toInt(), 1,
                   kMaxParallelChunks);
    settings.retry.firstDelay = std::chrono::milliseconds(std::max<qint64>(
        1, store.value("queue/retryFirstDelayMs", qint64(settings.retry.firstDelay.count()))
               .toLongLong()));
    settings.retry.maxDelay = std::chrono::milliseconds(std::max<qint64>(
        1, store.value("queue/retryMaxDelayMs", qint64(settings.retry.maxDelay.count()))
               .toLongLong()));
    settings.bandwidthLimit =
        std::max<qint64>(0, store.value("queue/bandwidthLimit", 0).toLongLong());
    settings.transferTimeout = std::chrono::milliseconds(
        store.value("server/transferTimeoutMs", qint64(settings.transferTimeout.count()))
            .toLongLong());
    return settings;
}

void Settings::save(QSettings& store) const {
    store.setValue("server/url", serverUrl.toString());
    store.setValue("server/protocol", protocolName(serverProtocol));
    store.setValue("server/caFile", caFile);
    store.setValue("server/transferTimeoutMs", qint64(transferTimeout.count()));
    store.setValue("queue/maxConcurrent", maxConcurrent);
    store.setValue("queue/parallelChunks", parallelChunks);
    store.setValue("queue/retryFirstDelayMs", qint64(retry.firstDelay.count()));
    store.setValue("queue/retryMaxDelayMs", qint64(retry.maxDelay.count()));
    store.setValue("queue/bandwidthLimit", bandwidthLimit);
}

} // namespace hoist

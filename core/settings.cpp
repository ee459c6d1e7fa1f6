#include "settings.h"

#include <QSettings>
#include <QStringList>

#include <algorithm>

namespace hoist {

namespace {

QString delaysToString(const QList<std::chrono::milliseconds>& delays) {
    QStringList parts;
    for (const auto delay : delays)
        parts << QString::number(delay.count());
    return parts.join(QLatin1Char(','));
}

QList<std::chrono::milliseconds>
delaysFromString(const QString& text, const QList<std::chrono::milliseconds>& fallback) {
    QList<std::chrono::milliseconds> delays;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 ms = part.trimmed().toLongLong(&ok);
        if (!ok || ms < 0)
            return fallback;
        delays << std::chrono::milliseconds(ms);
    }
    return delays;
}

} // namespace

Settings Settings::load(const QSettings& store) {
    Settings settings;
    settings.serverUrl = QUrl(store.value("server/url").toString());
    settings.serverProtocol =
        protocolFromName(store.value("server/protocol").toString()).value_or(Protocol::Native);
    settings.caFile = store.value("server/caFile").toString();
    settings.maxConcurrent =
        std::max(1, store.value("queue/maxConcurrent", settings.maxConcurrent).toInt());
    settings.retryDelays = delaysFromString(
        store.value("queue/retryDelaysMs", delaysToString(settings.retryDelays)).toString(),
        settings.retryDelays);
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
    store.setValue("queue/retryDelaysMs", delaysToString(retryDelays));
    store.setValue("queue/bandwidthLimit", bandwidthLimit);
}

} // namespace hoist

#include "tus_capabilities.h"

#include <QList>

namespace hoist {

namespace {

// tus header lists are comma-separated, with optional spaces (tus 1.0.0, "Headers").
bool listContains(const QByteArray& list, const QByteArray& item) {
    const QList<QByteArray> items = list.split(',');
    return std::any_of(items.cbegin(), items.cend(), [&item](const QByteArray& entry) {
        return entry.trimmed().compare(item, Qt::CaseInsensitive) == 0;
    });
}

} // namespace

std::optional<TusCapabilities> TusCapabilities::fromHeaders(const QByteArray& version,
                                                            const QByteArray& extensions,
                                                            const QByteArray& checksumAlgorithms,
                                                            const QByteArray& maxSize) {
    if (!listContains(version, "1.0.0"))
        return std::nullopt;
    TusCapabilities capabilities;
    capabilities.checksumSha256 =
        listContains(extensions, "checksum") && listContains(checksumAlgorithms, "sha256");
    capabilities.termination = listContains(extensions, "termination");
    bool ok = false;
    const qint64 limit = maxSize.trimmed().toLongLong(&ok);
    if (ok && limit > 0)
        capabilities.maxSize = limit;
    return capabilities;
}

} // namespace hoist

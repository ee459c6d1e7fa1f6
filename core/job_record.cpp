#include "job_record.h"

namespace hoist {

QJsonObject JobRecord::toJson() const {
    return QJsonObject{
        {"path", path},
        {"size", size},
        {"modifiedMs", modifiedMs},
        {"server", server.toString()},
        {"protocol", protocolName(protocol)},
        {"state", jobStateName(state)},
        {"fingerprint", fingerprint},
        {"sessionId", sessionId},
        {"chunkSize", chunkSize},
        {"confirmedBytes", confirmedBytes},
        {"fileId", fileId},
        {"error", error},
        {"note", note},
    };
}

std::optional<JobRecord> JobRecord::fromJson(const QJsonObject& json) {
    JobRecord record;
    record.path = json.value(QLatin1String("path")).toString();
    const auto state = jobStateFromName(json.value(QLatin1String("state")).toString());
    // Queue files written before jobs had a protocol only knew the native one.
    const auto protocol = protocolFromName(
        json.value(QLatin1String("protocol")).toString(protocolName(Protocol::Native)));
    if (record.path.isEmpty() || !state || !protocol)
        return std::nullopt;
    record.state = *state;
    record.protocol = *protocol;
    record.size = json.value(QLatin1String("size")).toInteger();
    record.modifiedMs = json.value(QLatin1String("modifiedMs")).toInteger();
    record.server = QUrl(json.value(QLatin1String("server")).toString());
    record.fingerprint = json.value(QLatin1String("fingerprint")).toString();
    record.sessionId = json.value(QLatin1String("sessionId")).toString();
    record.chunkSize = json.value(QLatin1String("chunkSize")).toInteger();
    record.confirmedBytes = json.value(QLatin1String("confirmedBytes")).toInteger();
    record.fileId = json.value(QLatin1String("fileId")).toString();
    record.error = json.value(QLatin1String("error")).toString();
    record.note = json.value(QLatin1String("note")).toString();
    return record;
}

} // namespace hoist

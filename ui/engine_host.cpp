#include "engine_host.h"

#include "queue_model.h"
#include "upload_engine.h"

namespace hoist {

namespace {

bool needsNewEngine(const Settings& a, const Settings& b) {
    return a.serverUrl != b.serverUrl || a.token != b.token || a.caFile != b.caFile ||
           a.transferTimeout != b.transferTimeout;
}

} // namespace

EngineHost::EngineHost(Factory factory, const Settings& settings, QObject* parent)
    : QObject(parent), m_factory(std::move(factory)), m_settings(settings) {
    build();
}

EngineHost::~EngineHost() {
    // The model watches the queue: it goes first.
    m_model.reset();
    m_engine.reset();
}

UploadQueue& EngineHost::queue() {
    return m_engine->queue();
}

void EngineHost::build() {
    m_engine = m_factory(m_settings);
    m_engine->queue().restore();
    m_model = std::make_unique<QueueModel>(m_engine->queue());
}

void EngineHost::apply(const Settings& settings) {
    const bool rebuild = needsNewEngine(m_settings, settings);
    m_settings = settings;
    if (!rebuild) {
        m_engine->scheduler().setMaxConcurrent(settings.maxConcurrent);
        m_engine->limiter().setLimit(settings.bandwidthLimit);
        m_engine->queue().setRetryPolicy(settings.retry);
        m_engine->queue().setParallelChunks(settings.parallelChunks);
        return;
    }
    emit aboutToReplace();
    m_model.reset();
    // Running jobs stop here and continue from the server's offset once restored.
    m_engine->queue().saveNow();
    m_engine.reset();
    build();
    emit replaced();
}

} // namespace hoist

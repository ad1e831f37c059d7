// What one bedside-monitor message costs the pure HL7 layer (issue 13 §5 aims at 20,000 durable messages/s on 2
// cores, so this part must take a small fraction of 50 µs): an IHE PCD-01 ORU^R01 with 12 OBX rows parsed, mapped,
// paired and acknowledged; the same through the MLLP frame decoder; and the parse alone.

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "adapters/hl7/message/ack.hpp"
#include "adapters/hl7/message/code_map.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/frame.hpp"

namespace {

using namespace kclinic::adapters::hl7;

const std::string kMessage =
    "MSH|^~\\&|GATEWAY^0019A7FFFE000001^EUI-64|ICU|||20261207140012+0100||ORU^R01^ORU_R01|PCD-000042|P|2.6|||NE|AL\r"
    "PID|||MRN-2002^^^KCLINIC^MR||DOE^JANE\r"
    "PV1||O|INFUSION^ROOM 2^CHAIR 3\r"
    "OBR|1|||182777000^monitoring of patient^SCT|||20261207140000+0100\r"
    "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X|||||||0019A7FFFE0000AA^EUI-64\r"
    "OBX|2||69688^MDC_DEV_ANALY_PRESS_BLD_VMD^MDC|1.1.0.0|||||||X\r"
    "OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|152|266016^MDC_DIM_MMHG^MDC|||||R|||20261207135945+0100||||"
    "0019A7FFFE0000AA^EUI-64\r"
    "OBX|4|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|94|266016^MDC_DIM_MMHG^MDC|||||R|||20261207135945+0100||||"
    "0019A7FFFE0000AA^EUI-64\r"
    "OBX|5|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|113|266016^MDC_DIM_MMHG^MDC|||||R|||20261207135945+0100|||"
    "|0019A7FFFE0000AA^EUI-64\r"
    "OBX|6|NM|149546^MDC_PULS_RATE_NON_INV^MDC|1.1.1.4|88|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261207135945+0100"
    "||||0019A7FFFE0000AA^EUI-64\r"
    "OBX|7|NM|147842^MDC_ECG_HEART_RATE^MDC|1.5.1.1|87|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||||||"
    "0019A7FFFE0000AA^EUI-64\r"
    "OBX|8|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.2.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||||||0019A7FFFE0000AA^EUI-"
    "64\r"
    "OBX|9|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.2.1.2|88|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||||||"
    "0019A7FFFE0000AA^EUI-64\r"
    "OBX|10|NM|151562^MDC_RESP_RATE^MDC|1.3.1.1|16|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R|||||||0019A7FFFE0000AA^EUI-"
    "64\r"
    "OBX|11|NM|150364^MDC_TEMP_BODY^MDC|1.4.1.1|36.9|268192^MDC_DIM_DEGC^MDC|||||R|||||||0019A7FFFE0000AA^EUI-64\r"
    "OBX|12|NM|150087^MDC_PRESS_BLD_VEN_CENT_MEAN^MDC|1.6.1.1|8|266016^MDC_DIM_MMHG^MDC|||||R|||||||"
    "0019A7FFFE0000AA^EUI-64\r";

std::string Answer(std::string_view text) {
    AckOptions options;
    options.control_id = "KC-1";
    auto parsed = ParseOruR01(text);
    if (!parsed.ok()) {
        return {};
    }
    const MappedObservations mapped = MapObservations(parsed.value());
    benchmark::DoNotOptimize(GroupBloodPressures(mapped.readings));
    return BuildAck(AckContextOf(parsed.value().header), options, UnmappedWarnings(mapped));
}

void BM_ParseOnly(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(ParseOruR01(kMessage));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseOnly);

void BM_ParseMapPairAck(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(Answer(kMessage));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseMapPairAck);

// Frames as a connection delivers them (64 per read), decoded and answered.
void BM_FramedStream(benchmark::State& state) {
    std::string stream;
    for (int i = 0; i < 64; ++i) {
        stream += mllp::EncodeFrame(kMessage);
    }
    std::vector<mllp::FrameEvent> events;
    for (auto _ : state) {
        mllp::FrameDecoder decoder;
        events.clear();
        decoder.Feed(stream, events);
        for (const mllp::FrameEvent& event : events) {
            benchmark::DoNotOptimize(Answer(event.payload));
        }
    }
    state.SetItemsProcessed(state.iterations() * 64);
}
BENCHMARK(BM_FramedStream);

}  // namespace

BENCHMARK_MAIN();

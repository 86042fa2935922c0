// RUN: ge-opt %s --split-input-file -p convert-graph-to-stream | filecheck %s

// Stream assignment: a `stream_id` attribute on a graph op puts its launch on that stream
// (the hint is dropped from the outlined op); a `stream_id` on the function is the default
// for its ops. A launch awaits the timepoint of each producer on another stream (and of
// every h2d weight copy); a producer on the same stream is ordered by program order: no await.

// relu(s0) -> exp(s1) -> add(s0, with neg(s0)) -> sigmoid(s0)

// CHECK-LABEL: stream.kernel @fork_k1_exp attributes {vector_flops = 256 : i64} {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<4x8xf32>):
// CHECK-NEXT: graph.exp [[A]] : tensor<4x8xf32>
// CHECK-LABEL: func.func @fork(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: [[R:%.*]], [[RT:%.*]] = stream.launch @fork_k0_relu(%x) : (tensor<4x8xf32>) -> (tensor<4x8xf32>)
// Cross-stream edge relu(s0) -> exp(s1): await.
// CHECK-NEXT: [[E:%.*]], [[ET:%.*]] = stream.launch @fork_k1_exp([[R]]) await([[RT]]) {pinned, stream = 1 : i64} : (tensor<4x8xf32>) -> (tensor<4x8xf32>)
// Same-stream edge relu(s0) -> neg(s0): no await.
// CHECK-NEXT: [[N:%.*]], {{%.*}} = stream.launch @fork_k2_neg([[R]]) : (tensor<4x8xf32>) -> (tensor<4x8xf32>)
// add(s0) awaits exp(s1) only, not neg(s0).
// CHECK-NEXT: [[S:%.*]], {{%.*}} = stream.launch @fork_k3_add([[E]], [[N]]) await([[ET]]) : (tensor<4x8xf32>, tensor<4x8xf32>) -> (tensor<4x8xf32>)
// CHECK-NEXT: [[G:%.*]], {{%.*}} = stream.launch @fork_k4_sigmoid([[S]]) : (tensor<4x8xf32>) -> (tensor<4x8xf32>)
// CHECK-NEXT: func.return [[G]] : tensor<4x8xf32>
// CHECK-NOT: stream_id
func.func @fork(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.relu %x : tensor<4x8xf32>
  %1 = graph.exp %0 {stream_id = 1 : i64} : tensor<4x8xf32>
  %2 = graph.neg %0 : tensor<4x8xf32>
  %3 = graph.add %1, %2 : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %4 = graph.sigmoid %3 : tensor<4x8xf32>
  func.return %4 : tensor<4x8xf32>
}

// -----

// Two operands from the same other-stream launch: one await. Operands from two other
// streams: both awaited, in operand order. A stream-0 hint written explicitly is elided.

// CHECK-LABEL: func.func @joins(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
// CHECK-NEXT: [[A:%.*]], [[AT:%.*]] = stream.launch @joins_k0_exp(%x) {pinned, stream = 1 : i64}
// CHECK-NEXT: [[B:%.*]], [[BT:%.*]] = stream.launch @joins_k1_log(%x) {pinned, stream = 2 : i64}
// CHECK-NEXT: [[C:%.*]], {{%.*}} = stream.launch @joins_k2_mul([[A]], [[A]]) await([[AT]]) {pinned} : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>)
// CHECK-NEXT: [[D:%.*]], {{%.*}} = stream.launch @joins_k3_sub([[B]], [[A]]) await([[BT]], [[AT]]) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>)
// CHECK-NEXT: func.return [[C]], [[D]]
func.func @joins(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %a = graph.exp %x {stream_id = 1 : i64} : tensor<8xf32>
  %b = graph.log %x {stream_id = 2 : i64} : tensor<8xf32>
  %c = graph.mul %a, %a {stream_id = 0 : i64} : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %d = graph.sub %b, %a : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  func.return %c, %d : tensor<8xf32>, tensor<8xf32>
}

// -----

// The function's stream_id is the default stream of its ops; an op hint overrides it.
// Weight copies are DMA tasks on no stream: every consumer awaits them, whatever its stream.

// CHECK-LABEL: func.func @default_stream(%x: tensor<4x6xf16>) -> (tensor<4x2xf16>, tensor<4x4xf16>, tensor<4x4xf16>) attributes {stream_id = 2 : i64} {
// CHECK-NEXT: [[WH:%.*]] = graph.weight "w" : tensor<4x6xf16>
// CHECK-NEXT: [[WD:%.*]], [[WT:%.*]] = stream.copy "h2d" [[WH]] : tensor<4x6xf16> -> tensor<4x6xf16>
// CHECK-NEXT: [[VH:%.*]] = graph.weight "v" : tensor<4x4xf16>
// CHECK-NEXT: [[VD:%.*]], [[VT:%.*]] = stream.copy "h2d" [[VH]] : tensor<4x4xf16> -> tensor<4x4xf16>
// CHECK-NEXT: [[S:%.*]], [[ST:%.*]] = stream.launch @default_stream_k0_sub(%x, [[WD]]) await([[WT]]) {pinned} : (tensor<4x6xf16>, tensor<4x6xf16>) -> (tensor<4x6xf16>)
// CHECK-NEXT: [[P0:%.*]], [[P1:%.*]], {{%.*}} = stream.launch @default_stream_k1_split([[S]]) await([[ST]]) {pinned, stream = 2 : i64} : (tensor<4x6xf16>) -> (tensor<4x2xf16>, tensor<4x4xf16>)
// CHECK-NEXT: [[T:%.*]], {{%.*}} = stream.launch @default_stream_k2_tanh([[P1]]) {pinned, stream = 2 : i64} : (tensor<4x4xf16>) -> (tensor<4x4xf16>)
// CHECK-NEXT: [[M:%.*]], {{%.*}} = stream.launch @default_stream_k3_mul([[VD]], [[T]]) await([[VT]]) {pinned, stream = 2 : i64} : (tensor<4x4xf16>, tensor<4x4xf16>) -> (tensor<4x4xf16>)
// CHECK-NEXT: [[R:%.*]], {{%.*}} = stream.launch @default_stream_k4_relu([[VD]]) await([[VT]]) {pinned, stream = 3 : i64} : (tensor<4x4xf16>) -> (tensor<4x4xf16>)
// CHECK-NEXT: func.return [[P0]], [[M]], [[R]] : tensor<4x2xf16>, tensor<4x4xf16>, tensor<4x4xf16>
func.func @default_stream(%x: tensor<4x6xf16>) -> (tensor<4x2xf16>, tensor<4x4xf16>, tensor<4x4xf16>) attributes {stream_id = 2 : i64} {
  %w = graph.weight "w" : tensor<4x6xf16>
  %v = graph.weight "v" : tensor<4x4xf16>
  %s = graph.sub %x, %w {stream_id = 0 : i64} : tensor<4x6xf16>, tensor<4x6xf16> -> tensor<4x6xf16>
  %0, %1 = graph.split %s {axis = 1 : i64} : tensor<4x6xf16> -> tensor<4x2xf16>, tensor<4x4xf16>
  %2 = graph.tanh %1 : tensor<4x4xf16>
  %3 = graph.mul %v, %2 : tensor<4x4xf16>, tensor<4x4xf16> -> tensor<4x4xf16>
  %4 = graph.relu %v {stream_id = 3 : i64} : tensor<4x4xf16>
  func.return %0, %3, %4 : tensor<4x2xf16>, tensor<4x4xf16>, tensor<4x4xf16>
}

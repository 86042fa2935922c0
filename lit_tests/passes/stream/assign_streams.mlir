// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,assign-streams{min-gain-us=0.0}' | filecheck %s --check-prefix=ZERO
// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,assign-streams' | filecheck %s --check-prefix=DEF
// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,assign-streams{min-gain-us=0.0 max-streams=1}' | filecheck %s --check-prefix=ONE
// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,assign-streams{min-gain-us=100.0}' | filecheck %s --check-prefix=HIGH
// RUN: not ge-opt %s -p 'convert-graph-to-stream,assign-streams{max-streams=0}' 2>&1 | filecheck %s --check-prefix=ERR

// assign-streams: chains of a minimum path cover of the kernel DAG become streams; a chain
// keeps its own stream only if it gains at least min-gain-us (idle cores of the main chain's
// unit it can fill, or its whole time on the other unit), else it folds into its feeder's
// stream (or the main one). Pinned launches (a user `stream_id`) never move.

// ERR: error: assign-streams: max-streams must be >= 1, got 0
// ERR-NOT: error:
// ERR-NOT: Traceback

// Two independent chains (relu -> exp, neg -> tanh -> add) and a launch pinned to stream 1.
// With min-gain-us=0 every chain is worth a stream: the longest chain (3 kernels) gets the
// lowest free id 0, the other one the next free id, 2 (1 is pinned); no await inside a chain.
// ZERO-LABEL: func.func @pinned(
// ZERO-NEXT: %a, %0 = stream.launch @pinned_k0_relu(%x) {stream = 2 : i64} : (
// ZERO-NEXT: %c, %1 = stream.launch @pinned_k1_neg(%y) : (
// ZERO-NEXT: %p, %2 = stream.launch @pinned_k2_sigmoid(%x) {pinned, stream = 1 : i64} : (
// ZERO-NEXT: %b, %3 = stream.launch @pinned_k3_exp(%a) {stream = 2 : i64} : (
// ZERO-NEXT: %d, %4 = stream.launch @pinned_k4_tanh(%c) : (
// ZERO-NEXT: %e, %5 = stream.launch @pinned_k5_add(%d, %p) await(%2) : (
// Tiny kernels gain far less than 2 us: one stream besides the pinned one.
// DEF-LABEL: func.func @pinned(
// DEF-NEXT: stream.launch @pinned_k0_relu(%x) : (
// DEF-NEXT: stream.launch @pinned_k1_neg(%y) : (
// DEF-NEXT: stream.launch @pinned_k2_sigmoid(%x) {pinned, stream = 1 : i64} : (
// DEF-NEXT: stream.launch @pinned_k3_exp(%a) : (
// DEF-NEXT: stream.launch @pinned_k4_tanh(%c) : (
// DEF-NEXT: stream.launch @pinned_k5_add(%d, %p) await(%2) : (
// ONE-LABEL: func.func @pinned(
// ONE-NOT: stream = 2
// ONE: stream.launch @pinned_k2_sigmoid(%x) {pinned, stream = 1 : i64} : (
// ONE-NOT: stream = 2
// ONE: func.return
func.func @pinned(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %a = graph.relu %x : tensor<4x8xf32>
  %c = graph.neg %y : tensor<4x8xf32>
  %p = graph.sigmoid %x {stream_id = 1 : i64} : tensor<4x8xf32>
  %b = graph.exp %a : tensor<4x8xf32>
  %d = graph.tanh %c : tensor<4x8xf32>
  %e = graph.add %d, %p : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  func.return %b, %e, %p : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A cube chain (two 1024^3 f16 matmuls, 7 us each) and a vector chain (exp -> tanh on 4 MB,
// 6 us each): the vector chain runs on the other unit, so it gains its whole time and gets
// stream 1 at the default min-gain-us; max-streams=1 or a higher min-gain-us fold it back.
// DEF-LABEL: func.func @mixed(
// DEF-NEXT: stream.launch @mixed_k0_matmul(%x, %w) : (
// DEF-NEXT: stream.launch @mixed_k1_matmul(%m, %w) : (
// DEF-NEXT: stream.launch @mixed_k2_exp(%y) {stream = 1 : i64} : (
// DEF-NEXT: stream.launch @mixed_k3_tanh(%e) {stream = 1 : i64} : (
// DEF-NEXT: func.return
// ONE-LABEL: func.func @mixed(
// ONE-NOT: stream =
// ONE: func.return
// HIGH-LABEL: func.func @mixed(
// HIGH-NOT: stream =
// HIGH: func.return
func.func @mixed(%x: tensor<1024x1024xf16>, %w: tensor<1024x1024xf16>, %y: tensor<1024x1024xf32>) -> (tensor<1024x1024xf16>, tensor<1024x1024xf32>) {
  %m = graph.matmul %x, %w : tensor<1024x1024xf16>, tensor<1024x1024xf16> -> tensor<1024x1024xf16>
  %n = graph.matmul %m, %w : tensor<1024x1024xf16>, tensor<1024x1024xf16> -> tensor<1024x1024xf16>
  %e = graph.exp %y : tensor<1024x1024xf32>
  %t = graph.tanh %e : tensor<1024x1024xf32>
  func.return %n, %t : tensor<1024x1024xf16>, tensor<1024x1024xf32>
}

// -----

// An independent matmul whose tiles fill every core gains nothing next to the main cube
// chain: folded into stream 0 even though it is 7 us long.
// DEF-LABEL: func.func @cubes(
// DEF-NEXT: stream.launch @cubes_k0_matmul(%x, %w) : (
// DEF-NEXT: stream.launch @cubes_k1_matmul(%m, %w) : (
// DEF-NEXT: stream.launch @cubes_k2_matmul(%y, %w) : (
// DEF-NEXT: func.return
// With min-gain-us=0 a zero gain is still enough.
// ZERO-LABEL: func.func @cubes(
// ZERO: stream.launch @cubes_k2_matmul(%y, %w) {stream = 1 : i64} : (
func.func @cubes(%x: tensor<1024x1024xf16>, %w: tensor<1024x1024xf16>, %y: tensor<1024x1024xf16>) -> (tensor<1024x1024xf16>, tensor<1024x1024xf16>) {
  %m = graph.matmul %x, %w : tensor<1024x1024xf16>, tensor<1024x1024xf16> -> tensor<1024x1024xf16>
  %n = graph.matmul %m, %w : tensor<1024x1024xf16>, tensor<1024x1024xf16> -> tensor<1024x1024xf16>
  %e = graph.matmul %y, %w : tensor<1024x1024xf16>, tensor<1024x1024xf16> -> tensor<1024x1024xf16>
  func.return %n, %e : tensor<1024x1024xf16>, tensor<1024x1024xf16>
}

// -----

// A fork: relu feeds two branches that join in add. The side branch on its own stream
// awaits its feeder, and the join awaits the side branch (every cross-stream edge is an
// await after assign-streams; insert-events then minimizes them).
// ZERO-LABEL: func.func @fork(
// ZERO-NEXT: %a, [[A:%.*]] = stream.launch @fork_k0_relu(%x) : (
// ZERO-NEXT: %b, [[B:%.*]] = stream.launch @fork_k1_exp(%a) : (
// ZERO-NEXT: %c, [[C:%.*]] = stream.launch @fork_k2_neg(%a) await([[A]]) {stream = 1 : i64} : (
// ZERO-NEXT: %d, {{%.*}} = stream.launch @fork_k3_add(%b, %c) await([[C]]) : (
func.func @fork(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %a = graph.relu %x : tensor<4x8xf32>
  %b = graph.exp %a : tensor<4x8xf32>
  %c = graph.neg %a : tensor<4x8xf32>
  %d = graph.add %b, %c : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  func.return %d : tensor<4x8xf32>
}

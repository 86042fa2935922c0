// RUN: ge-opt %s --split-input-file -p insert-events | filecheck %s
// RUN: ge-opt %s --split-input-file -p 'insert-events{device="%S/Inputs/small_limits.json"}' | filecheck %s --check-prefix=SMALL
// RUN: not ge-opt %s -p 'insert-events{device="no-such-chip"}' 2>&1 | filecheck %s --check-prefix=ERR

// insert-events: per task, an await for each producer on another lane (stream or DMA queue)
// that is not already ordered before it (same lane, or through another await): the
// cross-lane edges of the transitive reduction. A stream holding more launches than the
// device's max_tasks_per_stream (2 in Inputs/small_limits.json) continues on a fresh stream
// that awaits the full one. Past half the device's max_events (4 there), copy waits move to
// every k-th copy of their queue.

// ERR: error: unknown device 'no-such-chip'
// ERR-NOT: error:

// a (s1) -> b (s2) -> c (s0), and c also reads a: c's await on a is implied by its await on
// b (b awaited a), so it is dropped.
// CHECK-LABEL: func.func @redundant(
// CHECK-NEXT: %a, [[A:%.*]] = stream.launch @redundant_k0_exp(%x) {stream = 1 : i64} : (
// CHECK-NEXT: %b, [[B:%.*]] = stream.launch @redundant_k1_log(%a) await([[A]]) {stream = 2 : i64} : (
// CHECK-NEXT: %c, {{%.*}} = stream.launch @redundant_k2_add(%a, %b) await([[B]]) : (
// CHECK-NEXT: func.return %c
builtin.module {
  stream.kernel @redundant_k0_exp attributes {vector_flops = 64 : i64} {
  ^bb0(%0: tensor<8xf32>):
    %1 = graph.exp %0 : tensor<8xf32>
    stream.yield %1 : tensor<8xf32>
  }
  stream.kernel @redundant_k1_log attributes {vector_flops = 64 : i64} {
  ^bb0(%0: tensor<8xf32>):
    %1 = graph.log %0 : tensor<8xf32>
    stream.yield %1 : tensor<8xf32>
  }
  stream.kernel @redundant_k2_add attributes {vector_flops = 8 : i64} {
  ^bb0(%0: tensor<8xf32>, %1: tensor<8xf32>):
    %2 = graph.add %0, %1 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
    stream.yield %2 : tensor<8xf32>
  }
  func.func @redundant(%x: tensor<8xf32>) -> tensor<8xf32> {
    %a, %0 = stream.launch @redundant_k0_exp(%x) {stream = 1 : i64} : (tensor<8xf32>) -> (tensor<8xf32>)
    %b, %1 = stream.launch @redundant_k1_log(%a) await(%0) {stream = 2 : i64} : (tensor<8xf32>) -> (tensor<8xf32>)
    %c, %2 = stream.launch @redundant_k2_add(%a, %b) await(%0, %1) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>)
    func.return %c : tensor<8xf32>
  }
}

// -----

// Awaits are recomputed from the data: an await on the same stream is dropped (program order
// suffices), a missing cross-stream await is added, an await with no data dependence behind
// it is dropped, and a weight copy (DMA queue 0) is awaited by its consumer.
// CHECK-LABEL: func.func @recompute(
// CHECK-NEXT: %a, [[A:%.*]] = stream.launch @k_exp(%x) : (
// CHECK-NEXT: %b, [[B:%.*]] = stream.launch @k_exp(%a) : (
// CHECK-NEXT: %c, {{%.*}} = stream.launch @k_exp(%b) await([[B]]) {stream = 1 : i64} : (
// CHECK-NEXT: %d, {{%.*}} = stream.launch @k_exp(%x) {stream = 2 : i64} : (
// CHECK-NEXT: %wh = graph.weight "w"
// CHECK-NEXT: %wd, [[W:%.*]] = stream.copy "h2d" %wh
// CHECK-NEXT: %e, {{%.*}} = stream.launch @k_exp(%wd) await([[W]]) : (
// CHECK-NEXT: func.return
builtin.module {
  stream.kernel @k_exp attributes {vector_flops = 8 : i64} {
  ^bb0(%0: tensor<8xf32>):
    %1 = graph.exp %0 : tensor<8xf32>
    stream.yield %1 : tensor<8xf32>
  }
  func.func @recompute(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
    %a, %ta = stream.launch @k_exp(%x) : (tensor<8xf32>) -> (tensor<8xf32>)
    %b, %tb = stream.launch @k_exp(%a) await(%ta) : (tensor<8xf32>) -> (tensor<8xf32>)
    %c, %tc = stream.launch @k_exp(%b) {stream = 1 : i64} : (tensor<8xf32>) -> (tensor<8xf32>)
    %d, %td = stream.launch @k_exp(%x) await(%ta) {stream = 2 : i64} : (tensor<8xf32>) -> (tensor<8xf32>)
    %wh = graph.weight "w" : tensor<8xf32>
    %wd, %tw = stream.copy "h2d" %wh : tensor<8xf32> -> tensor<8xf32>
    %e, %te = stream.launch @k_exp(%wd) : (tensor<8xf32>) -> (tensor<8xf32>)
    func.return %c, %d, %e : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  }
}

// -----

// A chain of five launches on stream 0. At the default 910B2 limit (2013) nothing moves; at
// a limit of 2 the stream is split into 0, 1, 2 and each continuation awaits the last task of
// the stream it continues.
// CHECK-LABEL: func.func @split(
// CHECK-NOT: await
// CHECK-NOT: stream =
// CHECK: func.return
// SMALL-LABEL: func.func @split(
// SMALL-NEXT: %a, {{%.*}} = stream.launch @k_neg(%x) : (
// SMALL-NEXT: %b, [[B:%.*]] = stream.launch @k_neg(%a) : (
// SMALL-NEXT: %c, {{%.*}} = stream.launch @k_neg(%b) await([[B]]) {stream = 1 : i64} : (
// SMALL-NEXT: %d, [[D:%.*]] = stream.launch @k_neg(%c) {stream = 1 : i64} : (
// SMALL-NEXT: %e, {{%.*}} = stream.launch @k_neg(%d) await([[D]]) {stream = 2 : i64} : (
// SMALL-NEXT: func.return %e
builtin.module {
  stream.kernel @k_neg attributes {vector_flops = 8 : i64} {
  ^bb0(%0: tensor<8xf32>):
    %1 = graph.neg %0 : tensor<8xf32>
    stream.yield %1 : tensor<8xf32>
  }
  func.func @split(%x: tensor<8xf32>) -> tensor<8xf32> {
    %a, %0 = stream.launch @k_neg(%x) : (tensor<8xf32>) -> (tensor<8xf32>)
    %b, %1 = stream.launch @k_neg(%a) : (tensor<8xf32>) -> (tensor<8xf32>)
    %c, %2 = stream.launch @k_neg(%b) : (tensor<8xf32>) -> (tensor<8xf32>)
    %d, %3 = stream.launch @k_neg(%c) : (tensor<8xf32>) -> (tensor<8xf32>)
    %e, %4 = stream.launch @k_neg(%d) : (tensor<8xf32>) -> (tensor<8xf32>)
    func.return %e : tensor<8xf32>
  }
}

// -----

// Four weight copies on queue 0, each awaited once: within the default event budget every
// consumer awaits its own copy; with max_events=4 (budget 2) the waits move to every second
// copy (w1, w3), which implies the earlier ones by queue order.
// CHECK-LABEL: func.func @coarsen(
// CHECK: %w0d, [[W0:%.*]] = stream.copy "h2d"
// CHECK: %w1d, [[W1:%.*]] = stream.copy "h2d"
// CHECK: %w2d, [[W2:%.*]] = stream.copy "h2d"
// CHECK: %w3d, [[W3:%.*]] = stream.copy "h2d"
// CHECK-NEXT: %a, {{%.*}} = stream.launch @k_add(%x, %w0d) await([[W0]]) : (
// CHECK-NEXT: %b, {{%.*}} = stream.launch @k_add(%a, %w1d) await([[W1]]) : (
// CHECK-NEXT: %c, {{%.*}} = stream.launch @k_add(%b, %w2d) await([[W2]]) : (
// CHECK-NEXT: %d, {{%.*}} = stream.launch @k_add(%c, %w3d) await([[W3]]) : (
// SMALL-LABEL: func.func @coarsen(
// SMALL: %w1d, %t1 = stream.copy "h2d"
// SMALL: %w3d, %t3 = stream.copy "h2d"
// SMALL-NEXT: %a, {{%.*}} = stream.launch @k_add(%x, %w0d) await(%t1) : (
// (b's await on %t1 is implied by a's; allowed, not required)
// SMALL-NEXT: %b, [[B:%.*]] = stream.launch @k_add(%a, %w1d) {{(await\(%t1\) )?}}: (
// The stream limit of 2 also splits: c continues on stream 1 after b.
// SMALL-NEXT: %c, {{%.*}} = stream.launch @k_add(%b, %w2d) await([[B]], %t3) {stream = 1 : i64} : (
// SMALL-NEXT: %d, {{%.*}} = stream.launch @k_add(%c, %w3d) {{(await\(%t3\) )?}}{stream = 1 : i64} : (
builtin.module {
  stream.kernel @k_add attributes {vector_flops = 8 : i64} {
  ^bb0(%0: tensor<8xf32>, %1: tensor<8xf32>):
    %2 = graph.add %0, %1 : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
    stream.yield %2 : tensor<8xf32>
  }
  func.func @coarsen(%x: tensor<8xf32>) -> tensor<8xf32> {
    %w0 = graph.weight "w0" : tensor<8xf32>
    %w0d, %t0 = stream.copy "h2d" %w0 : tensor<8xf32> -> tensor<8xf32>
    %w1 = graph.weight "w1" : tensor<8xf32>
    %w1d, %t1 = stream.copy "h2d" %w1 : tensor<8xf32> -> tensor<8xf32>
    %w2 = graph.weight "w2" : tensor<8xf32>
    %w2d, %t2 = stream.copy "h2d" %w2 : tensor<8xf32> -> tensor<8xf32>
    %w3 = graph.weight "w3" : tensor<8xf32>
    %w3d, %t3 = stream.copy "h2d" %w3 : tensor<8xf32> -> tensor<8xf32>
    %a, %4 = stream.launch @k_add(%x, %w0d) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>)
    %b, %5 = stream.launch @k_add(%a, %w1d) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>)
    %c, %6 = stream.launch @k_add(%b, %w2d) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>)
    %d, %7 = stream.launch @k_add(%c, %w3d) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>)
    func.return %d : tensor<8xf32>
  }
}

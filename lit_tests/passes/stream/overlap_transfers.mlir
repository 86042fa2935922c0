// RUN: ge-opt %s -p 'convert-graph-to-stream,overlap-transfers' | filecheck %s
// RUN: ge-opt %s -p 'convert-graph-to-stream,overlap-transfers{queues=2}' | filecheck %s --check-prefix=TWO
// RUN: not ge-opt %s -p 'convert-graph-to-stream,overlap-transfers{queues=0}' 2>&1 | filecheck %s --check-prefix=ERR

// overlap-transfers: every h2d weight copy (with its graph.weight) moves to the top of the
// function, in the order of the first launch reading it (w0, w1, w2 here, although w2 is
// declared first), spread round-robin over `queues` DMA queues; the launches keep their
// order and their awaits on the copies.

// ERR: error: overlap-transfers: queues must be >= 1, got 0
// ERR-NOT: error:

// CHECK-LABEL: func.func @ov(
// CHECK-NEXT: %w0 = graph.weight "w0"
// CHECK-NEXT: %w0_1, [[T0:%.*]] = stream.copy "h2d" %w0 : tensor<4x4xf32>
// CHECK-NEXT: %w1 = graph.weight "w1"
// CHECK-NEXT: %w1_1, [[T1:%.*]] = stream.copy "h2d" %w1 : tensor<4x4xf32>
// CHECK-NEXT: %w2 = graph.weight "w2"
// CHECK-NEXT: %w2_1, [[T2:%.*]] = stream.copy "h2d" %w2 : tensor<4x4xf32>
// CHECK-NEXT: %a, {{%.*}} = stream.launch @ov_k0_relu(%x) : (
// CHECK-NEXT: %b, {{%.*}} = stream.launch @ov_k1_matmul(%a, %w0_1) await([[T0]]) : (
// CHECK-NEXT: %c, {{%.*}} = stream.launch @ov_k2_matmul(%b, %w1_1) await([[T1]]) : (
// CHECK-NEXT: %d, {{%.*}} = stream.launch @ov_k3_add(%c, %w2_1) await([[T2]]) : (
// CHECK-NEXT: func.return %d

// TWO-LABEL: func.func @ov(
// TWO-NEXT: %w0 = graph.weight "w0"
// TWO-NEXT: %w0_1, {{%.*}} = stream.copy "h2d" %w0 : tensor<4x4xf32>
// TWO-NEXT: %w1 = graph.weight "w1"
// TWO-NEXT: %w1_1, {{%.*}} = stream.copy "h2d" %w1 {queue = 1 : i64} : tensor<4x4xf32>
// TWO-NEXT: %w2 = graph.weight "w2"
// TWO-NEXT: %w2_1, {{%.*}} = stream.copy "h2d" %w2 : tensor<4x4xf32>
// TWO-NEXT: %a, {{%.*}} = stream.launch @ov_k0_relu(%x) : (
func.func @ov(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %a = graph.relu %x : tensor<4x4xf32>
  %w2 = graph.weight "w2" : tensor<4x4xf32>
  %w0 = graph.weight "w0" : tensor<4x4xf32>
  %b = graph.matmul %a, %w0 : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  %w1 = graph.weight "w1" : tensor<4x4xf32>
  %c = graph.matmul %b, %w1 : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  %d = graph.add %c, %w2 : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  func.return %d : tensor<4x4xf32>
}

// RUN: ge-opt %s --split-input-file -p 'prune{report=true}' 2>&1 | filecheck %s

// Inside graph.fused: results nobody reads are dropped together with the body ops that only
// computed them, then the inputs the body no longer reads (and what computed only those).

// CHECK: prune: removed 3 ops (1 weight, 32 B of weights) from @partly_dead
// CHECK-LABEL: func.func @partly_dead(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT:    %0 = graph.fused(%x) {stream_id = 1 : i64, kind = "elementwise"} : (tensor<2x4xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT:    ^bb0(%a: tensor<2x4xf32>):
// CHECK-NEXT:      %n = graph.neg %a : tensor<2x4xf32>
// CHECK-NEXT:      graph.yield %n : tensor<2x4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %0 : tensor<2x4xf32>
// CHECK-NEXT:  }
func.func @partly_dead(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = graph.weight "bias" : tensor<2x4xf32>
  %s = graph.sigmoid %w : tensor<2x4xf32>
  %0:2 = graph.fused(%x, %s) {kind = "elementwise", stream_id = 1 : i64} : (tensor<2x4xf32>, tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  ^bb0(%a: tensor<2x4xf32>, %b: tensor<2x4xf32>):
    %n = graph.neg %a : tensor<2x4xf32>
    %m = graph.mul %a, %b : tensor<2x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
    graph.yield %n, %m : tensor<2x4xf32>, tensor<2x4xf32>
  }
  func.return %0#0 : tensor<2x4xf32>
}

// -----

// A fused group none of whose results is read goes entirely; its body ops count as removed
// (the terminator does not).

// CHECK: prune: removed 3 ops from @all_dead
// CHECK-LABEL: func.func @all_dead(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    func.return %x : tensor<4xf32>
func.func @all_dead(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %e = graph.exp %a : tensor<4xf32>
    %r = graph.relu %e : tensor<4xf32>
    graph.yield %r : tensor<4xf32>
  }
  func.return %x : tensor<4xf32>
}

// -----

// A fully used group is left alone, even if a body value is used only inside.

// CHECK: prune: removed 0 ops from @live
// CHECK-LABEL: func.func @live(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
// CHECK-NEXT:    %0, %1 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
func.func @live(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:2 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%a: tensor<4xf32>):
    %e = graph.exp %a : tensor<4xf32>
    %r = graph.relu %e : tensor<4xf32>
    %n = graph.neg %e : tensor<4xf32>
    graph.yield %r, %n : tensor<4xf32>, tensor<4xf32>
  }
  func.return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

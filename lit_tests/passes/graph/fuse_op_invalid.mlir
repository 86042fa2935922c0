// RUN: GE_VERIFY_DIAG

// Verifier errors of graph.fused / graph.yield: kind is one of elementwise, contraction,
// reduction, attention, generic; the body's arguments have the input types; it ends with a
// graph.yield whose types are the result types; it holds only graph compute ops (no nested
// graph.fused, no other dialect); it is isolated from above; graph.yield only ends a
// graph.fused.

func.func @bad_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: fuse_op_invalid.mlir:[[# @LINE + 1]]:3: error: graph.fused: kind must be one of elementwise, contraction, reduction, attention, generic
  %0 = graph.fused(%x) {kind = "magic"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = graph.exp %a : tensor<4xf32>
    graph.yield %1 : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @kind_not_a_string(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: 3 : i64 should be of base attribute string
  %0 = graph.fused(%x) {kind = 3 : i64} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @yield_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: graph.fused: graph.yield types must match the results
  %0 = graph.fused(%x) {kind = "generic"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = graph.reshape %a : tensor<4xf32> -> tensor<2x2xf32>
    graph.yield %1 : tensor<2x2xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @yield_count_mismatch(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: graph.fused: graph.yield types must match the results
  %0 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = graph.exp %a : tensor<4xf32>
    graph.yield %1, %a : tensor<4xf32>, tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @missing_yield(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: graph.fused: body must end with graph.yield
  %0 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = graph.exp %a : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @empty_body(%x: tensor<4xf32>) {
// CHECK: error: graph.fused: body must end with graph.yield
  graph.fused(%x) : (tensor<4xf32>) -> () {
  ^bb0(%a: tensor<4xf32>):
  }
  func.return
}

// -----

func.func @argument_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: graph.fused: body arguments must have the types of the inputs
  %0 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf16>):
    %1 = graph.cast %a : tensor<4xf16> -> tensor<4xf32>
    graph.yield %1 : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @argument_count_mismatch(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: graph.fused: body arguments must have the types of the inputs
  %0 = graph.fused(%x) : (tensor<4xf32>) -> tensor<4xf32> {
    %c = graph.constant dense<1.0> : tensor<4xf32>
    graph.yield %c : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @non_graph_op_inside(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: {{.*}}arith.addf cannot be fused (only graph compute ops)
  %0 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = arith.addf %a, %a : tensor<4xf32>
    graph.yield %1 : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @nested_fused(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: {{.*}}graph.fused cannot be fused (only graph compute ops)
  %0 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = graph.fused(%a) : (tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%b: tensor<4xf32>):
      graph.yield %b : tensor<4xf32>
    }
    graph.yield %1 : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @not_isolated(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: graph.fused: Operation using value defined out of its IsolatedFromAbove parent
  %0 = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = graph.add %a, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
    graph.yield %1 : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @two_blocks(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: error: graph.fused: Region 'body' at position 0 expected a single block, but got 2 blocks
  %0 = graph.fused(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  ^bb1(%b: tensor<4xf32>):
    graph.yield %b : tensor<4xf32>
  }
  func.return %0 : tensor<4xf32>
}

// -----

func.func @yield_outside_fused(%x: tensor<4xf32>) {
// CHECK: error: graph.yield: 'graph.yield' expects parent op to be one of 'graph.fused', 'graph.if'
  graph.yield %x : tensor<4xf32>
}

// -----

func.func @yield_of_non_tensor(%x: tensor<4xf32>) {
// CHECK: error: {{.*}}i32
  graph.fused(%x) : (tensor<4xf32>) -> () {
  ^bb0(%a: tensor<4xf32>):
    %c = arith.constant 1 : i32
    graph.yield %c : i32
  }
  func.return
}

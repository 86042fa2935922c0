// RUN: GE_VERIFY_DIAG
// RUN: not ge-opt %s 2>&1 | filecheck %s --check-prefix=EXIT
// Exactly one error per chunk (10 chunks):
// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | grep -c "error:" | filecheck %s --check-prefix=COUNT
// COUNT: {{^}}10{{$}}

// Verifier errors of graph.if, one located diagnostic each: the condition is a one-element i1
// tensor; each branch takes no block arguments and ends with a graph.yield of the result types.

// EXIT: if_invalid.mlir:[[# @LINE + 4]]:3: error: graph.if: condition must be a one-element i1 tensor, got tensor<f32>
// EXIT-NOT: error
// CHECK: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: condition must be a one-element i1 tensor, got tensor<f32>
func.func @cond_f32(%c: tensor<f32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<f32> -> (tensor<4xf32>) {
    graph.yield %x : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: condition must be a one-element i1 tensor, got tensor<2xi1>
func.func @cond_two_elements(%c: tensor<2xi1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<2xi1> -> (tensor<4xf32>) {
    graph.yield %x : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: condition must be a one-element i1 tensor, got tensor<?xi1>
func.func @cond_dynamic(%c: tensor<?xi1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<?xi1> -> (tensor<4xf32>) {
    graph.yield %x : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: the then branch takes no block arguments
func.func @block_args(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
  ^bb0(%a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: the else branch takes no block arguments
func.func @else_block_args(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    graph.yield %x : tensor<4xf32>
  } else {
  ^bb0(%a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: the then branch must end with graph.yield
func.func @missing_yield(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %a = graph.exp %x : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: the else branch must end with graph.yield
func.func @return_in_branch(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    graph.yield %x : tensor<4xf32>
  } else {
    func.return %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: the else branch yields (tensor<f32>), graph.if returns (tensor<4xf32>)
func.func @yield_type_mismatch(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    graph.yield %x : tensor<4xf32>
  } else {
    %b = graph.reduce_sum %x {axes = array<i64: 0>} : tensor<4xf32> -> tensor<f32>
    graph.yield %b : tensor<f32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: the then branch yields (tensor<4xf32>, tensor<4xf32>), graph.if returns (tensor<4xf32>)
func.func @yield_count_mismatch(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    graph.yield %x, %x : tensor<4xf32>, tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// A branch of two blocks is rejected by the region's single-block constraint.

// CHECK: // {{-+}}
// CHECK-NEXT: if_invalid.mlir:[[# @LINE + 2]]:3: error: graph.if: Region 'then_region' at position 0 expected a single block, but got 2 blocks
func.func @two_blocks(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    graph.yield %x : tensor<4xf32>
  ^bb1:
    graph.yield %x : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// CHECK-NOT: error

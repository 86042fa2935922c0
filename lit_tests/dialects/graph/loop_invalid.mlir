// RUN: GE_VERIFY_DIAG
// RUN: not ge-opt %s 2>&1 | filecheck %s --check-prefix=EXIT
// Exactly one error per chunk (15 chunks):
// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | grep -c "error:" | filecheck %s --check-prefix=COUNT
// COUNT: {{^}}15{{$}}

// Verifier errors of graph.loop, one located diagnostic each: trip_count >= 1; the results
// have the types of the inits; the body takes (tensor<i64>, carried...) and ends with a
// graph.yield of the carried types.

// trip_count 0 and negative.

// EXIT: loop_invalid.mlir:[[# @LINE + 4]]:3: error: graph.loop: trip_count must be >= 1, got 0
// EXIT-NOT: error
// CHECK: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: trip_count must be >= 1, got 0
func.func @trip_zero(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 0 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: trip_count must be >= 1, got -3
func.func @trip_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = -3 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// trip_count is required.

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: property 'trip_count' expected in operation 'graph.loop'
func.func @no_trip_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// results: the types of the inits (type, then count).

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: results must have the types of the inits
func.func @result_type(%x: tensor<4xf32>) -> tensor<4xf16> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf16>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf16>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: results must have the types of the inits
func.func @result_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r, %s = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// body arguments: (tensor<i64>, carried...): no index, an i32 index, a 1xi64 index, a carried
// argument of another type, one argument too many.

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body takes the index (tensor<i64>) and the loop-carried values
func.func @no_index(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body takes the index (tensor<i64>) and the loop-carried values
func.func @index_i32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i32>, %a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body takes the index (tensor<i64>) and the loop-carried values
func.func @index_1xi64(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<1xi64>, %a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body takes the index (tensor<i64>) and the loop-carried values
func.func @carried_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<8xf32>):
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body takes the index (tensor<i64>) and the loop-carried values
func.func @extra_arg(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>, %b: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// yield: the carried types (type, then count).

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body yields (tensor<f32>), the loop carries (tensor<4xf32>)
func.func @yield_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    %s = graph.reduce_sum %a {axes = array<i64: 0>} : tensor<4xf32> -> tensor<f32>
    graph.yield %s : tensor<f32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body yields (tensor<4xf32>, tensor<4xf32>), the loop carries (tensor<4xf32>)
func.func @yield_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    graph.yield %a, %a : tensor<4xf32>, tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// the body ends with graph.yield.

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body must end with graph.yield
func.func @no_yield(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    %e = graph.exp %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: the body must end with graph.yield
func.func @return_in_body(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    func.return %a : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// a body of two blocks: the region's single-block constraint.

// CHECK: // {{-+}}
// CHECK-NEXT: loop_invalid.mlir:[[# @LINE + 2]]:3: error: graph.loop: Region 'body' at position 0 expected a single block, but got 2 blocks
func.func @two_blocks(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    graph.yield %a : tensor<4xf32>
  ^bb1:
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// CHECK-NOT: error

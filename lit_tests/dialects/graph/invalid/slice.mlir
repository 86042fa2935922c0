// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.slice: one start/limit/step per dim, step >= 1, 0 <= start <= limit
// <= dim, result shape.

func.func @start_entries_wrong(%x: tensor<4x10xf32>) {
// CHECK: {{.*}}slice.mlir:[[# @LINE + 2]]:3: error: graph.slice: start/limit/step must each have 2 entries (the input rank)
// CHECK-NEXT: %0 = graph.slice %x {start = array<i64: 0>, limit = array<i64: 4, 10>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<4x10xf32>
  %0 = graph.slice %x {start = array<i64: 0>, limit = array<i64: 4, 10>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<4x10xf32>
  func.return
}

// -----

func.func @step_entries_wrong(%x: tensor<4x10xf32>) {
// CHECK: error: graph.slice: start/limit/step must each have 2 entries (the input rank)
  %0 = graph.slice %x {start = array<i64: 0, 0>, limit = array<i64: 4, 10>, step = array<i64: 1, 1, 1>} : tensor<4x10xf32> -> tensor<4x10xf32>
  func.return
}

// -----

func.func @entries_not_input_rank(%x: tensor<4x10xf32>) {
// CHECK: error: graph.slice: start/limit/step must each have 2 entries (the input rank)
  %0 = graph.slice %x {start = array<i64: 0>, limit = array<i64: 4>, step = array<i64: 1>} : tensor<4x10xf32> -> tensor<4xf32>
  func.return
}

// -----

func.func @step_zero(%x: tensor<4x10xf32>) {
// CHECK: error: graph.slice: step must be >= 1, got 0
  %0 = graph.slice %x {start = array<i64: 0, 0>, limit = array<i64: 4, 10>, step = array<i64: 1, 0>} : tensor<4x10xf32> -> tensor<4x10xf32>
  func.return
}

// -----

func.func @step_negative(%x: tensor<4x10xf32>) {
// CHECK: error: graph.slice: step must be >= 1, got -1
  %0 = graph.slice %x {start = array<i64: 3, 0>, limit = array<i64: 0, 10>, step = array<i64: -1, 1>} : tensor<4x10xf32> -> tensor<3x10xf32>
  func.return
}

// -----

func.func @start_negative(%x: tensor<4x10xf32>) {
// CHECK: error: graph.slice: slice [-1, 4) is not a valid range
  %0 = graph.slice %x {start = array<i64: -1, 0>, limit = array<i64: 4, 10>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<5x10xf32>
  func.return
}

// -----

func.func @limit_below_start(%x: tensor<4x10xf32>) {
// CHECK: error: graph.slice: slice [6, 2) is not a valid range
  %0 = graph.slice %x {start = array<i64: 0, 6>, limit = array<i64: 4, 2>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<4x0xf32>
  func.return
}

// -----

func.func @limit_exceeds_dim(%x: tensor<4x10xf32>) {
// CHECK: error: graph.slice: slice [0, 11) exceeds dimension of size 10
  %0 = graph.slice %x {start = array<i64: 0, 0>, limit = array<i64: 4, 11>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<4x11xf32>
  func.return
}

// -----

func.func @result_shape_wrong(%x: tensor<4x10xf32>) {
// CHECK: error: graph.slice: result shape 4x5 does not match expected 4x3
  %0 = graph.slice %x {start = array<i64: 0, 1>, limit = array<i64: 4, 10>, step = array<i64: 1, 3>} : tensor<4x10xf32> -> tensor<4x5xf32>
  func.return
}

// -----

func.func @element_type_differs(%x: tensor<4xi64>) {
// CHECK: error: graph.slice: element types differ: i32, i64
  %0 = graph.slice %x {start = array<i64: 0>, limit = array<i64: 2>, step = array<i64: 1>} : tensor<4xi64> -> tensor<2xi32>
  func.return
}

// -----

func.func @missing_step(%x: tensor<4xf32>) {
// CHECK: error: {{.*}}property 'step' expected in operation 'graph.slice'
  %0 = graph.slice %x {start = array<i64: 0>, limit = array<i64: 2>} : tensor<4xf32> -> tensor<2xf32>
  func.return
}

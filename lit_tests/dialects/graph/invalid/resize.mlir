// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.resize: mode, rank 4 input, N and C kept, element type, positive size.

func.func @bad_mode(%x: tensor<1x3x8x8xf32>) {
// CHECK: {{.*}}resize.mlir:[[# @LINE + 2]]:3: error: graph.resize: mode must be one of nearest, bilinear, got 'bicubic'
// CHECK-NEXT: %0 = graph.resize %x {mode = "bicubic"} : tensor<1x3x8x8xf32> -> tensor<1x3x16x16xf32>
  %0 = graph.resize %x {mode = "bicubic"} : tensor<1x3x8x8xf32> -> tensor<1x3x16x16xf32>
  func.return
}

// -----

func.func @input_rank_three(%x: tensor<3x8x8xf32>) {
// CHECK: error: graph.resize: input and result must be rank 4 (NCHW), got 3x8x8
  %0 = graph.resize %x : tensor<3x8x8xf32> -> tensor<3x16x16xf32>
  func.return
}

// -----

func.func @batch_changed(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.resize: result shape 2x3x16x16 does not match expected 1x3x16x16
  %0 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<2x3x16x16xf32>
  func.return
}

// -----

func.func @channels_changed(%x: tensor<?x3x8x8xf32>) {
// CHECK: error: graph.resize: result shape ?x4x16x16 does not match expected ?x3x16x16
  %0 = graph.resize %x {mode = "bilinear"} : tensor<?x3x8x8xf32> -> tensor<?x4x16x16xf32>
  func.return
}

// -----

func.func @result_rank_five(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.resize: input and result must be rank 4 (NCHW), got 1x3x8x8 and 1x3x16x16x1
  %0 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<1x3x16x16x1xf32>
  func.return
}

// -----

func.func @element_type_differs(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.resize: element types differ: bf16, f32
  %0 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<1x3x16x16xbf16>
  func.return
}

// -----

func.func @empty_result(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.resize: result size 1x3x0x16 must be positive
  %0 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<1x3x0x16xf32>
  func.return
}

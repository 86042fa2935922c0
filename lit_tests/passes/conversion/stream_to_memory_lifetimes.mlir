// RUN: ge-opt %s --split-input-file -p convert-stream-to-memory | %python %S/Inputs/check_lifetimes.py | filecheck %s

// Lifetimes written by convert-stream-to-memory, checked against the task order of the
// output by Inputs/check_lifetimes.py: every task touching a buffer lies inside its
// [first, last] (task indices in program order, inclusive), and output-bound buffers live
// until the last task. The trailing stream.copy "d2d" tasks to the outputs arena are tasks
// too: a value copied by the k-th of them must live until that copy.

// CHECK-NOT: violation
// CHECK: checked 21 buffers, 14 tasks
// CHECK-NOT: violation

stream.kernel @mm attributes {unit = "cube", cube_flops = 48 : i64} {
^bb0(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>):
  %0 = graph.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}
stream.kernel @gelu attributes {vector_flops = 112 : i64} {
^bb0(%a: tensor<2x4xf32>):
  %0 = graph.gelu %a : tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}
func.func @chain(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %w = graph.weight "w" : tensor<3x4xf32>
  %wd, %t0 = stream.copy "h2d" %w : tensor<3x4xf32> -> tensor<3x4xf32>
  %0, %t1 = stream.launch @mm(%x, %wd) await(%t0) : (tensor<2x3xf32>, tensor<3x4xf32>) -> (tensor<2x4xf32>)
  %1, %t2 = stream.launch @gelu(%0) : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
  func.return %1 : tensor<2x4xf32>
}

// -----

stream.kernel @split attributes {unit = "none"} {
^bb0(%in: tensor<4x6xf16>):
  %0, %1 = graph.split %in {axis = 1 : i64} : tensor<4x6xf16> -> tensor<4x2xf16>, tensor<4x4xf16>
  stream.yield %0, %1 : tensor<4x2xf16>, tensor<4x4xf16>
}
stream.kernel @tanh {
^bb0(%a: tensor<4x4xf16>):
  %0 = graph.tanh %a : tensor<4x4xf16>
  stream.yield %0 : tensor<4x4xf16>
}
func.func @in_place(%x: tensor<4x6xf16>) -> (tensor<4x4xf16>, tensor<4x2xf16>) {
  %0, %1, %t0 = stream.launch @split(%x) : (tensor<4x6xf16>) -> (tensor<4x2xf16>, tensor<4x4xf16>)
  %2, %t1 = stream.launch @tanh(%1) await(%t0) : (tensor<4x4xf16>) -> (tensor<4x4xf16>)
  func.return %2, %0 : tensor<4x4xf16>, tensor<4x2xf16>
}

// -----

// Several output copies: the 2nd..4th d2d copies run after task index `end`.

stream.kernel @mul attributes {vector_flops = 2 : i64} {
^bb0(%a: tensor<2xf32>, %b: tensor<2xf32>):
  %0 = graph.mul %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  stream.yield %0 : tensor<2xf32>
}
func.func @copies(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %w = graph.weight "scale" : tensor<2xf32>
  %wd, %t0 = stream.copy "h2d" %w : tensor<2xf32> -> tensor<2xf32>
  %0, %t1 = stream.launch @mul(%x, %wd) await(%t0) : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>)
  func.return %0, %x, %0, %wd : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// An in-place output next to copied ones.

stream.kernel @neg {
^bb0(%a: tensor<2xf32>):
  %0 = graph.neg %a : tensor<2xf32>
  stream.yield %0 : tensor<2xf32>
}
func.func @mixed(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %0, %t0 = stream.launch @neg(%x) : (tensor<2xf32>) -> (tensor<2xf32>)
  func.return %0, %x, %x : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

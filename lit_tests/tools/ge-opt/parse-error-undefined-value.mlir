// RUN: not ge-opt %s 2>&1 | filecheck %s

// Using an SSA value that is never defined is a located parse error.

// CHECK-NOT: Traceback
// CHECK: parse-error-undefined-value.mlir:{{[0-9]+}}:{{[0-9]+}}: error: values used but not defined: [%y]
// CHECK-NOT: Traceback
func.func @undefined(%x: tensor<4xf32>) {
  %0 = graph.add %x, %y : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  func.return
}

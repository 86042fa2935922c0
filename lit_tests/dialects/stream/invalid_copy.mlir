// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

// Verifier rules of stream.copy; one diagnostic per chunk.
// (Line numbers of verifier errors are chunk-relative in split mode, hence {{[0-9]+}}.)

// CHECK: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy: kind must be one of h2d, d2h, d2d
// CHECK-NEXT: %0, %t = stream.copy "h2h" %h : tensor<4xf32> -> tensor<4xf32>
func.func @f(%h: tensor<4xf32>) {
  %0, %t = stream.copy "h2h" %h : tensor<4xf32> -> tensor<4xf32>
  func.return
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy: kind must be one of h2d, d2h, d2d
func.func @f(%h: memref<4xf32>, %d: memref<4xf32>) {
  %t = stream.copy "H2D" %h to %d : memref<4xf32> to memref<4xf32>
  func.return
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy: queue must be >= 0, got -2
// CHECK-NEXT: %0, %t = stream.copy "h2d" %h {queue = -2 : i64} : tensor<4xf32> -> tensor<4xf32>
func.func @f(%h: tensor<4xf32>) {
  %0, %t = stream.copy "h2d" %h {queue = -2 : i64} : tensor<4xf32> -> tensor<4xf32>
  func.return
}

// -----

// Neither a destination nor a result.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy needs a destination or a result
// CHECK-NEXT: %t = stream.copy "h2d" %h : tensor<4xf32>
func.func @f(%h: tensor<4xf32>) {
  %t = stream.copy "h2d" %h : tensor<4xf32>
  func.return
}

// -----

// A memref source without a destination is a buffer-form copy missing its `to`.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy in tensor form takes tensors (buffer form needs outs)
func.func @f(%h: memref<4xf32>) {
  %t = stream.copy "h2d" %h : memref<4xf32>
  func.return
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy in tensor form takes tensors (buffer form needs outs)
func.func @f(%h: memref<4xf32>) {
  %0, %t = stream.copy "h2d" %h : memref<4xf32> -> tensor<4xf32>
  func.return
}

// -----

// Mixing forms: a destination and a result ...

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy with outs is in buffer form: all operands must be memrefs and it has no tensor results
func.func @f(%h: memref<4xf32>, %d: memref<4xf32>) {
  %0, %t = stream.copy "h2d" %h to %d : memref<4xf32> to memref<4xf32> -> tensor<4xf32>
  func.return
}

// -----

// ... a tensor source with a memref destination.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy with outs is in buffer form: all operands must be memrefs and it has no tensor results
func.func @f(%h: tensor<4xf32>, %d: memref<4xf32>) {
  %t = stream.copy "h2d" %h to %d : tensor<4xf32> to memref<4xf32>
  func.return
}

// -----

// A copy cannot change the shape ...

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy: copy changes data: {{.*}}tensor<2x3xf32> to tensor<3x2xf32>
// CHECK-NEXT: %0, %t = stream.copy "h2d" %h : tensor<2x3xf32> -> tensor<3x2xf32>
func.func @f(%h: tensor<2x3xf32>) {
  %0, %t = stream.copy "h2d" %h : tensor<2x3xf32> -> tensor<3x2xf32>
  func.return
}

// -----

// ... or the element type, in either form.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy: copy changes data: {{.*}}tensor<6xf32> to tensor<6xf16>
func.func @f(%h: tensor<6xf32>) {
  %0, %t = stream.copy "d2h" %h : tensor<6xf32> -> tensor<6xf16>
  func.return
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy: copy changes data: {{.*}}memref<2x3xf32> to memref<6xf32>
func.func @f(%h: memref<2x3xf32>, %d: memref<6xf32>) {
  %t = stream.copy "d2d" %h to %d : memref<2x3xf32> to memref<6xf32>
  func.return
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy: copy changes data: {{.*}}memref<4xi32> to memref<4xf32>
func.func @f(%h: memref<4xi32>, %d: memref<4xf32>) {
  %t = stream.copy "h2d" %h to %d : memref<4xi32> to memref<4xf32>
  func.return
}

// -----

// The destination must be a memref (a parse-time type constraint).

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:{{[0-9]+}}:3: error: stream.copy: operand 'dest' at position 1 does not verify: tensor<4xf32> should be of base attribute memref
func.func @f(%h: tensor<4xf32>, %d: tensor<4xf32>) {
  %t = "stream.copy"(%h, %d) <{kind = "h2d", operandSegmentSizes = array<i32: 1, 1, 0>}> : (tensor<4xf32>, tensor<4xf32>) -> !stream.timepoint
  func.return
}

// -----

// The tensor-form result is a tensor: checked while parsing the custom form (file line
// numbers).

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_copy.mlir:[[# @LINE + 3]]:3: error: memref<2xf32> should be of base attribute tensor
// CHECK-NEXT: %0, %t = stream.copy "h2d" %a : tensor<2xf32> -> memref<2xf32>
func.func @f(%a: tensor<2xf32>) {
  %0, %t = stream.copy "h2d" %a : tensor<2xf32> -> memref<2xf32>
  func.return
}

// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

// Verifier rules of stream.launch; one diagnostic per chunk.
// (Line numbers of verifier errors are chunk-relative in split mode, hence {{[0-9]+}}.)

// The kernel symbol must exist ...

// CHECK: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: 'missing' does not name a stream.kernel
// CHECK-NEXT: %t = stream.launch @missing() : () -> ()
func.func @f() {
  %t = stream.launch @missing() : () -> ()
  func.return
}

// -----

// ... and name a stream.kernel, not another symbol.

memory.arena @a {size = 512 : i64}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: 'a' does not name a stream.kernel
// CHECK-NEXT: %t = stream.launch @a() : () -> ()
func.func @f() {
  %t = stream.launch @a() : () -> ()
  func.return
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: 'g' does not name a stream.kernel
func.func @g() {
  func.return
}
func.func @f() {
  %t = stream.launch @g() : () -> ()
  func.return
}

// -----

// Argument count and types must match the kernel's block arguments.

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>, %y: tensor<2x4xf32>):
  %0 = graph.add %x, %y : tensor<2x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: kernel @k has 2 argument(s), launch gives 1
// CHECK-NEXT: %0, %t = stream.launch @k(%a) : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
func.func @f(%a: tensor<2x4xf32>) {
  %0, %t = stream.launch @k(%a) : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
  func.return
}

// -----

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>, %y: tensor<2x4xf32>):
  %0 = graph.add %x, %y : tensor<2x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: argument 1 is tensor<4x2xf32>, kernel expects tensor<2x4xf32>
func.func @f(%a: tensor<2x4xf32>, %b: tensor<4x2xf32>) {
  %0, %t = stream.launch @k(%a, %b) : (tensor<2x4xf32>, tensor<4x2xf32>) -> (tensor<2x4xf32>)
  func.return
}

// -----

// Element type mismatch.

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: argument 0 is tensor<2x4xf16>, kernel expects tensor<2x4xf32>
func.func @f(%a: tensor<2x4xf16>) {
  %0, %t = stream.launch @k(%a) : (tensor<2x4xf16>) -> (tensor<2x4xf32>)
  func.return
}

// -----

// Result count and types must match the kernel's yield.

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: kernel @k has 1 result(s), launch gives 0
func.func @f(%a: tensor<2x4xf32>) {
  %t = stream.launch @k(%a) : (tensor<2x4xf32>) -> ()
  func.return
}

// -----

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: kernel @k has 1 result(s), launch gives 2
func.func @f(%a: tensor<2x4xf32>) {
  %0, %1, %t = stream.launch @k(%a) : (tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
  func.return
}

// -----

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: result 0 is tensor<8xf32>, kernel expects tensor<2x4xf32>
func.func @f(%a: tensor<2x4xf32>) {
  %0, %t = stream.launch @k(%a) : (tensor<2x4xf32>) -> (tensor<8xf32>)
  func.return
}

// -----

// Buffer form: the outs destinations are checked against the kernel's results.

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: result 0 is memref<2x4xbf16>, kernel expects tensor<2x4xf32>
func.func @f(%a: memref<2x4xf32>, %o: memref<2x4xbf16>) {
  %t = stream.launch @k(%a) outs(%o) : (memref<2x4xf32>) outs(memref<2x4xbf16>) -> ()
  func.return
}

// -----

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: kernel @k has 1 result(s), launch gives 2
func.func @f(%a: memref<2x4xf32>, %o: memref<2x4xf32>) {
  %t = stream.launch @k(%a) outs(%o, %o) : (memref<2x4xf32>) outs(memref<2x4xf32>, memref<2x4xf32>) -> ()
  func.return
}

// -----

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: argument 0 is memref<4x2xf32>, kernel expects tensor<2x4xf32>
func.func @f(%a: memref<4x2xf32>, %o: memref<2x4xf32>) {
  %t = stream.launch @k(%a) outs(%o) : (memref<4x2xf32>) outs(memref<2x4xf32>) -> ()
  func.return
}

// -----

// Mixing forms: outs with tensor results ...

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch with outs is in buffer form: all operands must be memrefs and it has no tensor results
func.func @f(%a: memref<2x4xf32>, %o: memref<2x4xf32>) {
  %0, %t = stream.launch @k(%a) outs(%o) : (memref<2x4xf32>) outs(memref<2x4xf32>) -> (tensor<2x4xf32>)
  func.return
}

// -----

// ... outs with tensor arguments ...

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch with outs is in buffer form: all operands must be memrefs and it has no tensor results
func.func @f(%a: tensor<2x4xf32>, %o: memref<2x4xf32>) {
  %t = stream.launch @k(%a) outs(%o) : (tensor<2x4xf32>) outs(memref<2x4xf32>) -> ()
  func.return
}

// -----

// ... memref arguments without outs.

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch in tensor form takes tensors (buffer form needs outs)
func.func @f(%a: memref<2x4xf32>) {
  %0, %t = stream.launch @k(%a) : (memref<2x4xf32>) -> (tensor<2x4xf32>)
  func.return
}

// -----

// Stream ids are non-negative.

stream.kernel @k {
  stream.yield
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: stream id must be >= 0, got -1
// CHECK-NEXT: %t = stream.launch @k() {stream = -1 : i64} : () -> ()
func.func @f() {
  %t = stream.launch @k() {stream = -1 : i64} : () -> ()
  func.return
}

// -----

// Only timepoints can be awaited (a parse-time type constraint).

stream.kernel @k {
  stream.yield
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:{{[0-9]+}}:3: error: stream.launch: operand 'awaits' at position 0 does not verify: tensor<2xf32> should be of base attribute stream.timepoint
// CHECK-NEXT: %t = stream.launch @k() await(%a) : () -> ()
func.func @f(%a: tensor<2xf32>) {
  %t = "stream.launch"(%a) <{kernel = @k, operandSegmentSizes = array<i32: 0, 0, 1>}> : (tensor<2xf32>) -> !stream.timepoint
  func.return
}

// -----

// Tensor-form results are tensors: checked while parsing the custom form (file line numbers).

stream.kernel @k {
^bb0(%x: tensor<2xf32>):
  stream.yield %x : tensor<2xf32>
}

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid_launch.mlir:[[# @LINE + 3]]:3: error: memref<2xf32> should be of base attribute tensor
// CHECK-NEXT: %0, %t = stream.launch @k(%a) : (tensor<2xf32>) -> (memref<2xf32>)
func.func @f(%a: tensor<2xf32>) {
  %0, %t = stream.launch @k(%a) : (tensor<2xf32>) -> (memref<2xf32>)
  func.return
}

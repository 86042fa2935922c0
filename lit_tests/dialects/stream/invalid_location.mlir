// RUN: not ge-opt %s 2>&1 | filecheck %s

// Without --split-input-file a verifier error names the exact file:line:col of the offending
// op, prints it, and ge-opt exits 1 (`not`). Only the first invalid op is reported.

stream.kernel @k {
^bb0(%x: tensor<2x4xf32>):
  stream.yield %x : tensor<2x4xf32>
}

func.func @f(%a: tensor<4x2xf32>) {
  // CHECK: {{.*}}invalid_location.mlir:[[# @LINE + 3]]:3: error: stream.launch: argument 0 is tensor<4x2xf32>, kernel expects tensor<2x4xf32>
  // CHECK-NEXT: {{^}}  %0, %t = stream.launch @k(%a) : (tensor<4x2xf32>) -> (tensor<2x4xf32>){{$}}
  // CHECK-NOT: error
  %0, %t = stream.launch @k(%a) : (tensor<4x2xf32>) -> (tensor<2x4xf32>)
  %1, %u = stream.copy "h2h" %a : tensor<4x2xf32> -> tensor<4x2xf32>
  func.return
}
